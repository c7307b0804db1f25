PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE clinics (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO clinics VALUES(1,'Clínica Aurora');
INSERT INTO clinics VALUES(2,'Clínica Boa Vista');
CREATE TABLE events (
	clinic_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	payload TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (clinic_id, seq)
);
INSERT INTO events VALUES(1,1,'{"seq":1,"type":"note.created","clinic_id":1,"conversation_id":28,"data":{"id":13,"conversation_id":28,"author_id":1,"author_name":"Ana Ribeiro","body":"Release dump note","created_at":"2026-11-29T22:59:23.558690Z"},"invalidate":["conversation:28:detail"]}','2026-11-29 22:59:23.565855');
INSERT INTO events VALUES(1,2,'{"seq":2,"type":"conversation.updated","clinic_id":1,"conversation_id":24,"data":{"id":24,"clinic_id":1,"patient_id":16,"patient_name":"Ana Vitória Ferreira","channel":"sms","status":"open","priority":"urgent","unread_count":0,"last_message_preview":"Seu exame já está disponível na recepção.","last_message_at":"2026-11-26T22:11:14Z","updated_at":"2026-11-29T22:59:23.628035Z","version":2,"patient_phone":"+55 99 92762-7344"},"invalidate":["conversations:clinic:1","conversation:24:detail"]}','2026-11-29 22:59:23.633798');
CREATE TABLE idempotency (
	user_id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	status_code INTEGER NOT NULL, 
	body BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (user_id, "key")
);
INSERT INTO idempotency VALUES(1,'94ded119-5c68-4799-a70d-0fc59f9ded83','3b4512c50ca677127ea5a60b9edf15165d0516e984abeb0c94fa832b07afa8a0',201,X'7b226964223a31332c22636f6e766572736174696f6e5f6964223a32382c22617574686f725f6964223a312c22617574686f725f6e616d65223a22416e61205269626569726f222c22626f6479223a2252656c656173652064756d70206e6f7465222c22637265617465645f6174223a22323032362d31312d32395432323a35393a32332e3535383639305a227d','2026-11-29 22:59:23.567523');
INSERT INTO idempotency VALUES(1,'e0da48b3-5d21-4326-b9cc-b123e7b8e597','2690a6aa8c03e29e817dba4c651343ac604c4657273a3a1633adf7a39fe2019c',200,X'7b226964223a32342c22636c696e69635f6964223a312c2270617469656e745f6964223a31362c2270617469656e745f6e616d65223a22416e6120566974c3b3726961204665727265697261222c226368616e6e656c223a22736d73222c22737461747573223a226f70656e222c227072696f72697479223a22757267656e74222c22756e726561645f636f756e74223a302c226c6173745f6d6573736167655f70726576696577223a22536575206578616d65206ac3a120657374c3a120646973706f6ec3ad76656c206e61207265636570c3a7c3a36f2e222c226c6173745f6d6573736167655f6174223a22323032362d31312d32365432323a31313a31345a222c22757064617465645f6174223a22323032362d31312d32395432323a35393a32332e3632383033355a222c2276657273696f6e223a322c2270617469656e745f70686f6e65223a222b35352039392039323736322d37333434227d','2026-11-29 22:59:23.634474');
CREATE TABLE users (
	id INTEGER NOT NULL, 
	clinic_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	role VARCHAR(40) NOT NULL, 
	password_hash VARCHAR(300) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(clinic_id) REFERENCES clinics (id), 
	UNIQUE (email)
);
INSERT INTO users VALUES(1,1,'Ana Ribeiro','ana@aurora.example','receptionist','scrypt$16384$8$1$teIK4W/6caWaT7964dfJRQ==$hSyX/GbI7p4DvRbvFbBCgKFOd5kY0oYDKGmLSPuMorU=');
INSERT INTO users VALUES(2,1,'Carla Mendes','carla@aurora.example','receptionist','scrypt$16384$8$1$zqe+9GYFuwJvxnSjAipBDg==$oKyxYPZKkYubj8LViOQhcPXukwU3qbDevHelmaBdbvE=');
INSERT INTO users VALUES(3,1,'Eduarda Lima','eduarda@aurora.example','receptionist','scrypt$16384$8$1$wR/t7B5Mnx+02s0nlxoxxA==$A5BrzevLyPmMVFEnD2e6alQKrcLKiRqwADaoQGZsW/w=');
INSERT INTO users VALUES(4,2,'Bruno Costa','bruno@boavista.example','receptionist','scrypt$16384$8$1$FU+dvHGZbcapMFWfOqN1zA==$fmxpRK+QEx2YmWyMK3Iry8n4Q56f0B/nqlYx459fnso=');
INSERT INTO users VALUES(5,2,'Diego Almeida','diego@boavista.example','receptionist','scrypt$16384$8$1$jJAwUhv1JTVUyBJHQnl+LQ==$eg+fCTmIvVoNX5f8pSJtDBG3L3n2P+w4gKisuMlSfHU=');
INSERT INTO users VALUES(6,2,'Fernanda Rocha','fernanda@boavista.example','receptionist','scrypt$16384$8$1$2RqC5hjB4VNZ2xUhlx8GZw==$jdTiCpADlgGvMUD77HeECCE83AnqXQk9l5mBLoznGGo=');
CREATE TABLE patients (
	id INTEGER NOT NULL, 
	clinic_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	phone VARCHAR(40) NOT NULL, 
	birth_date DATE, 
	insurance VARCHAR(120), 
	last_visit_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_patients_clinic_phone UNIQUE (clinic_id, phone), 
	FOREIGN KEY(clinic_id) REFERENCES clinics (id)
);
INSERT INTO patients VALUES(1,1,'Henry Rios','69 91651-7286','1953-10-11','Amil','2025-10-31 15:59:14.000000');
INSERT INTO patients VALUES(2,1,'Maria Vitória Sales','91 93537-2072','2015-04-10',NULL,NULL);
INSERT INTO patients VALUES(3,1,'Caleb Abreu','+55 16 98738-2142','1960-09-29',NULL,NULL);
INSERT INTO patients VALUES(4,1,'Sr. Igor Fogaça','+55 15 94488-1346','1989-10-03','SulAmérica','2026-08-28 13:59:14.000000');
INSERT INTO patients VALUES(5,1,'Sr. Benjamim Casa Grande','+55 51 94675-7947','1973-08-21','Porto Saúde','2025-11-07 16:59:14.000000');
INSERT INTO patients VALUES(6,1,'Dr. Lucca da Rocha','+55 37 93405-2328','2002-12-17','Bradesco Saúde',NULL);
INSERT INTO patients VALUES(7,1,'Sr. Enzo Brito','87 93613-3446','1977-02-05','Porto Saúde','2025-12-27 13:59:14.000000');
INSERT INTO patients VALUES(8,1,'Cauã Fernandes','84 96680-4003','1949-11-28','Porto Saúde','2026-03-06 16:59:14.000000');
INSERT INTO patients VALUES(9,1,'Gustavo Henrique Pires','+55 63 91128-4385','1935-11-08',NULL,NULL);
INSERT INTO patients VALUES(10,1,'Antony Pinto','+55 66 95921-7433','1932-10-17','Bradesco Saúde','2026-11-22 13:59:14.000000');
INSERT INTO patients VALUES(11,1,'Maria Luísa Santos','+55 63 99887-3724','2004-06-16','Porto Saúde','2026-04-16 19:59:14.000000');
INSERT INTO patients VALUES(12,1,'Dra. Helena Alves','+55 11 90790-6174','1971-01-04','Unimed','2026-08-05 15:59:14.000000');
INSERT INTO patients VALUES(13,1,'Dra. Cecilia Andrade','18 93535-3039','1982-09-12','Porto Saúde',NULL);
INSERT INTO patients VALUES(14,1,'Luigi Caldeira','86 92926-6399','1955-02-04','Hapvida',NULL);
INSERT INTO patients VALUES(15,1,'Dra. Mariana da Paz','62 95769-3224','1942-10-02','Porto Saúde','2026-09-27 18:59:14.000000');
INSERT INTO patients VALUES(16,1,'Ana Vitória Ferreira','+55 99 92762-7344','2000-12-26','Amil','2026-06-08 14:59:14.000000');
INSERT INTO patients VALUES(17,1,'Srta. Carolina Vasconcelos','99 91227-7882','1971-02-07','Bradesco Saúde','2026-04-03 13:59:14.000000');
INSERT INTO patients VALUES(18,1,'Dr. Yuri Rios','+55 13 94116-8837','1980-04-29','Unimed',NULL);
INSERT INTO patients VALUES(19,1,'Dra. Ana Beatriz Araújo','83 90747-4331','2012-09-06','SulAmérica','2026-06-28 13:59:14.000000');
INSERT INTO patients VALUES(20,1,'Sra. Isabella Barbosa','+55 55 90037-8374','1991-06-04','Hapvida','2026-09-30 22:59:14.000000');
INSERT INTO patients VALUES(21,2,'Maria Liz Vasconcelos','+55 32 93186-2659','1985-04-05','Hapvida','2026-11-02 21:59:14.000000');
INSERT INTO patients VALUES(22,2,'Beatriz Porto','+55 27 90793-8920','2016-09-09','Porto Saúde','2026-01-29 22:59:14.000000');
INSERT INTO patients VALUES(23,2,'Leandro Ferreira','+55 55 91469-1886','1946-09-11','Hapvida',NULL);
INSERT INTO patients VALUES(24,2,'Davi Miguel Nascimento','+55 21 92193-0695','1973-01-21','Porto Saúde','2026-01-15 22:59:14.000000');
INSERT INTO patients VALUES(25,2,'Helena Aparecida','+55 87 99005-6215','1989-04-06','SulAmérica','2026-10-27 16:59:14.000000');
INSERT INTO patients VALUES(26,2,'Davi Silveira','+55 92 98957-0702','1976-01-12','Unimed','2026-09-02 16:59:14.000000');
INSERT INTO patients VALUES(27,2,'Maria Fernanda Caldeira','11 94103-1738','1937-05-18','Amil','2026-06-01 18:59:14.000000');
INSERT INTO patients VALUES(28,2,'Liz Montenegro','34 98570-7457','2013-03-22','Amil','2026-09-07 15:59:14.000000');
INSERT INTO patients VALUES(29,2,'Kevin Azevedo','35 93142-8213','1941-06-25','Amil','2025-12-01 22:59:14.000000');
INSERT INTO patients VALUES(30,2,'Camila Marques','+55 44 91313-8768','1936-08-04','Amil','2025-12-20 13:59:14.000000');
INSERT INTO patients VALUES(31,2,'Dra. Melina Cassiano','35 98801-1733','1944-03-28','Amil','2026-07-25 14:59:14.000000');
INSERT INTO patients VALUES(32,2,'João Pedro Jesus','+55 33 95494-7171','2022-06-28','Bradesco Saúde','2026-09-19 14:59:14.000000');
INSERT INTO patients VALUES(33,2,'Théo Peixoto','84 90262-7843','1965-09-13','SulAmérica','2026-04-12 17:59:14.000000');
INSERT INTO patients VALUES(34,2,'João Gomes','88 97282-3824','1998-05-08',NULL,'2026-11-16 16:59:14.000000');
INSERT INTO patients VALUES(35,2,'André das Neves','+55 11 91987-4945','1978-10-29','SulAmérica','2025-12-14 17:59:14.000000');
INSERT INTO patients VALUES(36,2,'Matteo Fogaça','77 92649-2308','1975-04-29','Hapvida',NULL);
INSERT INTO patients VALUES(37,2,'Isabelly Guerra','+55 27 99636-3571','1979-09-10','Hapvida',NULL);
INSERT INTO patients VALUES(38,2,'Cauã Fogaça','75 91071-7192','1935-10-04',NULL,NULL);
INSERT INTO patients VALUES(39,2,'Davi Luiz Cirino','+55 77 95391-8491','2008-12-04','SulAmérica','2026-03-20 22:59:14.000000');
INSERT INTO patients VALUES(40,2,'Nathan Gomes','89 95254-9178','1956-01-20',NULL,'2026-07-08 14:59:14.000000');
CREATE TABLE clinic_seq (
	clinic_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	PRIMARY KEY (clinic_id), 
	FOREIGN KEY(clinic_id) REFERENCES clinics (id)
);
INSERT INTO clinic_seq VALUES(1,2);
INSERT INTO clinic_seq VALUES(2,0);
CREATE TABLE tokens (
	token_hash VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (token_hash), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);
INSERT INTO tokens VALUES('a80695c362717ce2012eaaabeeefe9c6abd537adb3714f7040722ffc2ee881f5',1,'2026-11-29 22:59:23.419402','2026-11-30 10:59:23.419402');
CREATE TABLE conversations (
	id INTEGER NOT NULL, 
	clinic_id INTEGER NOT NULL, 
	patient_id INTEGER NOT NULL, 
	channel VARCHAR(40) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	priority VARCHAR(20) NOT NULL, 
	unread_count INTEGER NOT NULL, 
	last_message_preview VARCHAR(200) NOT NULL, 
	last_message_at DATETIME, 
	updated_at DATETIME NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(clinic_id) REFERENCES clinics (id), 
	FOREIGN KEY(patient_id) REFERENCES patients (id)
);
INSERT INTO conversations VALUES(1,1,1,'whatsapp','open','normal',0,'Olá! Temos horário na terça às 10h com o cardiologista. Podemos confirmar?','2026-11-25 06:56:14.000000','2026-11-25 06:56:14.000000',1);
INSERT INTO conversations VALUES(2,1,2,'sms','open','normal',2,'Bom dia, estou com dor desde ontem, tem horário para hoje?','2026-11-06 12:17:14.000000','2026-11-06 12:17:14.000000',1);
INSERT INTO conversations VALUES(3,1,3,'sms','open','normal',0,'Boa tarde, vocês aceitam o convênio Unimed?','2026-11-22 22:42:14.000000','2026-11-22 22:42:14.000000',1);
INSERT INTO conversations VALUES(4,1,4,'whatsapp','archived','normal',0,'Combinado! Até lá.','2026-11-14 10:29:14.000000','2026-11-14 10:29:14.000000',1);
INSERT INTO conversations VALUES(5,1,5,'whatsapp','open','normal',0,'Meu exame já ficou pronto? Fiz na sexta.','2026-11-08 16:20:14.000000','2026-11-08 16:20:14.000000',1);
INSERT INTO conversations VALUES(6,1,6,'instagram','open','normal',3,'Bom dia, estou com dor desde ontem, tem horário para hoje?','2026-11-07 05:34:14.000000','2026-11-07 05:34:14.000000',1);
INSERT INTO conversations VALUES(7,1,7,'whatsapp','archived','normal',0,'Posso levar meu filho junto na consulta?','2026-11-24 06:59:14.000000','2026-11-24 06:59:14.000000',1);
INSERT INTO conversations VALUES(8,1,8,'instagram','open','normal',0,'Meu exame já ficou pronto? Fiz na terça.','2026-11-05 15:49:14.000000','2026-11-05 15:49:14.000000',1);
INSERT INTO conversations VALUES(9,1,9,'whatsapp','open','normal',0,'Olá, bom dia! Gostaria de marcar uma consulta com o pediatra.','2026-11-12 07:52:14.000000','2026-11-12 07:52:14.000000',1);
INSERT INTO conversations VALUES(10,1,10,'whatsapp','open','normal',0,'Pode vir hoje às 15h, vamos encaixar você.','2026-11-04 21:31:14.000000','2026-11-04 21:31:14.000000',1);
INSERT INTO conversations VALUES(11,1,11,'sms','open','normal',0,'Oi, preciso remarcar minha consulta de segunda. É possível?','2026-11-14 23:42:14.000000','2026-11-14 23:42:14.000000',1);
INSERT INTO conversations VALUES(12,1,12,'whatsapp','open','normal',0,'Funcionamos aos sábados das 8h às 12h.','2026-11-01 10:12:14.000000','2026-11-01 10:12:14.000000',1);
INSERT INTO conversations VALUES(13,1,13,'whatsapp','open','normal',0,'Obrigado pelo atendimento! Até a próxima.','2026-11-21 09:29:14.000000','2026-11-21 09:29:14.000000',1);
INSERT INTO conversations VALUES(14,1,14,'whatsapp','open','normal',3,'Qual o horário de funcionamento no sábado?','2026-11-01 11:09:14.000000','2026-11-01 11:09:14.000000',1);
INSERT INTO conversations VALUES(15,1,15,'whatsapp','open','normal',3,'Boa tarde, vocês aceitam o convênio Porto Saúde?','2026-11-13 13:14:14.000000','2026-11-13 13:14:14.000000',1);
INSERT INTO conversations VALUES(16,1,16,'instagram','open','normal',2,'Qual o horário de funcionamento no sábado?','2026-11-05 11:37:14.000000','2026-11-05 11:37:14.000000',1);
INSERT INTO conversations VALUES(17,1,17,'whatsapp','open','normal',0,'Seu exame já está disponível na recepção.','2026-11-16 01:52:14.000000','2026-11-16 01:52:14.000000',1);
INSERT INTO conversations VALUES(18,1,18,'whatsapp','open','high',2,'Posso levar meu filho junto na consulta?','2026-11-18 03:41:14.000000','2026-11-18 03:41:14.000000',1);
INSERT INTO conversations VALUES(19,1,19,'whatsapp','archived','low',0,'Olá! Temos horário na terça às 15h com o pediatra. Podemos confirmar?','2026-11-24 10:19:14.000000','2026-11-24 10:19:14.000000',1);
INSERT INTO conversations VALUES(20,1,20,'whatsapp','open','normal',0,'Chego uns 15 minutos atrasado, tudo bem?','2026-11-01 21:34:14.000000','2026-11-01 21:34:14.000000',1);
INSERT INTO conversations VALUES(21,1,20,'whatsapp','open','normal',3,'Boa tarde, vocês aceitam o convênio Hapvida?','2026-11-06 20:19:14.000000','2026-11-06 20:19:14.000000',1);
INSERT INTO conversations VALUES(22,1,1,'whatsapp','archived','normal',0,'Consulta remarcada para sexta às 11h. Qualquer dúvida, estamos à disposição.','2026-11-18 08:12:14.000000','2026-11-18 08:12:14.000000',1);
INSERT INTO conversations VALUES(23,1,5,'instagram','open','low',0,'Boa tarde, vocês aceitam o convênio Porto Saúde?','2026-11-20 18:10:14.000000','2026-11-20 18:10:14.000000',1);
INSERT INTO conversations VALUES(24,1,16,'sms','open','urgent',0,'Seu exame já está disponível na recepção.','2026-11-26 22:11:14.000000','2026-11-29 22:59:23.628035',2);
INSERT INTO conversations VALUES(25,1,15,'whatsapp','archived','normal',0,'Meu exame já ficou pronto? Fiz na terça.','2026-11-17 15:09:14.000000','2026-11-17 15:09:14.000000',1);
INSERT INTO conversations VALUES(26,1,3,'whatsapp','archived','normal',0,'Posso levar meu filho junto na consulta?','2026-11-14 09:35:14.000000','2026-11-14 09:35:14.000000',1);
INSERT INTO conversations VALUES(27,1,11,'whatsapp','open','normal',0,'Vocês fazem exame de sangue sem agendamento?','2026-11-26 04:59:14.000000','2026-11-26 04:59:14.000000',1);
INSERT INTO conversations VALUES(28,1,12,'sms','archived','normal',0,'Meu exame já ficou pronto? Fiz na terça.','2026-11-29 03:06:14.000000','2026-11-29 03:06:14.000000',1);
INSERT INTO conversations VALUES(29,1,2,'whatsapp','open','low',1,'Qual o horário de funcionamento no sábado?','2026-11-07 06:07:14.000000','2026-11-07 06:07:14.000000',1);
INSERT INTO conversations VALUES(30,1,19,'whatsapp','open','low',0,'Sim, aceitamos SulAmérica. Lembre de trazer a carteirinha.','2026-11-09 14:55:14.000000','2026-11-09 14:55:14.000000',1);
INSERT INTO conversations VALUES(31,2,21,'whatsapp','open','normal',0,'Pode vir hoje às 17h, vamos encaixar você.','2026-11-09 18:22:14.000000','2026-11-09 18:22:14.000000',1);
INSERT INTO conversations VALUES(32,2,22,'whatsapp','open','normal',2,'Quanto custa a consulta particular com o dermatologista?','2026-11-29 20:41:14.000000','2026-11-29 20:41:14.000000',1);
INSERT INTO conversations VALUES(33,2,23,'sms','archived','normal',0,'Sim, aceitamos Hapvida. Lembre de trazer a carteirinha.','2026-11-28 19:46:14.000000','2026-11-28 19:46:14.000000',1);
INSERT INTO conversations VALUES(34,2,24,'sms','archived','normal',0,'Consulta remarcada para terça às 10h. Qualquer dúvida, estamos à disposição.','2026-11-05 05:00:14.000000','2026-11-05 05:00:14.000000',1);
INSERT INTO conversations VALUES(35,2,25,'whatsapp','open','high',1,'Oi, preciso remarcar minha consulta de segunda. É possível?','2026-11-13 04:46:14.000000','2026-11-13 04:46:14.000000',1);
INSERT INTO conversations VALUES(36,2,26,'sms','open','high',0,'Sim, aceitamos Unimed. Lembre de trazer a carteirinha.','2026-11-02 17:34:14.000000','2026-11-02 17:34:14.000000',1);
INSERT INTO conversations VALUES(37,2,27,'whatsapp','open','normal',0,'Seu exame já está disponível na recepção.','2026-11-27 03:25:14.000000','2026-11-27 03:25:14.000000',1);
INSERT INTO conversations VALUES(38,2,28,'whatsapp','open','high',2,'Bom dia, estou com dor desde ontem, tem horário para hoje?','2026-11-27 13:36:14.000000','2026-11-27 13:36:14.000000',1);
INSERT INTO conversations VALUES(39,2,29,'whatsapp','open','normal',0,'Qual o horário de funcionamento no sábado?','2026-11-18 13:38:14.000000','2026-11-18 13:38:14.000000',1);
INSERT INTO conversations VALUES(40,2,30,'whatsapp','open','low',0,'Olá! Temos horário na sexta às 11h com o clínico geral. Podemos confirmar?','2026-11-26 04:32:14.000000','2026-11-26 04:32:14.000000',1);
INSERT INTO conversations VALUES(41,2,31,'instagram','open','high',0,'Sim, aceitamos Amil. Lembre de trazer a carteirinha.','2026-11-03 22:44:14.000000','2026-11-03 22:44:14.000000',1);
INSERT INTO conversations VALUES(42,2,32,'whatsapp','open','normal',0,'Qual o horário de funcionamento no sábado?','2026-11-07 00:28:14.000000','2026-11-07 00:28:14.000000',1);
INSERT INTO conversations VALUES(43,2,33,'sms','open','normal',2,'Oi, preciso remarcar minha consulta de sexta. É possível?','2026-11-06 07:07:14.000000','2026-11-06 07:07:14.000000',1);
INSERT INTO conversations VALUES(44,2,34,'instagram','open','normal',3,'Oi, preciso remarcar minha consulta de sexta. É possível?','2026-11-23 11:44:14.000000','2026-11-23 11:44:14.000000',1);
INSERT INTO conversations VALUES(45,2,35,'instagram','open','normal',3,'Olá, bom dia! Gostaria de marcar uma consulta com o ginecologista.','2026-11-29 17:51:14.000000','2026-11-29 17:51:14.000000',1);
INSERT INTO conversations VALUES(46,2,36,'instagram','open','normal',0,'Pode vir hoje às 15h, vamos encaixar você.','2026-11-22 18:43:14.000000','2026-11-22 18:43:14.000000',1);
INSERT INTO conversations VALUES(47,2,37,'whatsapp','open','high',1,'Vocês fazem exame de sangue sem agendamento?','2026-11-23 08:15:14.000000','2026-11-23 08:15:14.000000',1);
INSERT INTO conversations VALUES(48,2,38,'whatsapp','open','low',3,'Vocês fazem exame de sangue sem agendamento?','2026-11-02 15:58:14.000000','2026-11-02 15:58:14.000000',1);
INSERT INTO conversations VALUES(49,2,39,'instagram','open','normal',1,'Posso levar meu filho junto na consulta?','2026-11-10 20:49:14.000000','2026-11-10 20:49:14.000000',1);
INSERT INTO conversations VALUES(50,2,40,'instagram','archived','low',0,'Oi, preciso remarcar minha consulta de quinta. É possível?','2026-11-16 10:50:14.000000','2026-11-16 10:50:14.000000',1);
INSERT INTO conversations VALUES(51,2,39,'whatsapp','archived','high',0,'Funcionamos aos sábados das 8h às 12h.','2026-11-10 11:49:14.000000','2026-11-10 11:49:14.000000',1);
INSERT INTO conversations VALUES(52,2,26,'instagram','open','normal',2,'Preciso de uma segunda via do pedido de exame, por favor.','2026-11-11 11:11:14.000000','2026-11-11 11:11:14.000000',1);
INSERT INTO conversations VALUES(53,2,21,'whatsapp','open','low',3,'Olá, bom dia! Gostaria de marcar uma consulta com o cardiologista.','2026-11-21 19:25:14.000000','2026-11-21 19:25:14.000000',1);
INSERT INTO conversations VALUES(54,2,38,'instagram','open','normal',2,'Bom dia, estou com dor desde ontem, tem horário para hoje?','2026-11-15 07:20:14.000000','2026-11-15 07:20:14.000000',1);
INSERT INTO conversations VALUES(55,2,32,'whatsapp','open','high',0,'Funcionamos aos sábados das 8h às 12h.','2026-11-01 16:54:14.000000','2026-11-01 16:54:14.000000',1);
INSERT INTO conversations VALUES(56,2,37,'whatsapp','open','high',0,'Meu exame já ficou pronto? Fiz na sexta.','2026-11-01 01:27:14.000000','2026-11-01 01:27:14.000000',1);
INSERT INTO conversations VALUES(57,2,27,'whatsapp','archived','normal',0,'Posso levar meu filho junto na consulta?','2026-11-24 02:17:14.000000','2026-11-24 02:17:14.000000',1);
INSERT INTO conversations VALUES(58,2,33,'instagram','open','low',0,'Oi, preciso remarcar minha consulta de quarta. É possível?','2026-11-12 06:54:14.000000','2026-11-12 06:54:14.000000',1);
INSERT INTO conversations VALUES(59,2,30,'instagram','open','normal',0,'Oi, preciso remarcar minha consulta de terça. É possível?','2026-11-01 12:32:14.000000','2026-11-01 12:32:14.000000',1);
INSERT INTO conversations VALUES(60,2,23,'whatsapp','open','normal',1,'Vocês fazem exame de sangue sem agendamento?','2026-11-25 18:59:14.000000','2026-11-25 18:59:14.000000',1);
CREATE TABLE messages (
	id INTEGER NOT NULL, 
	conversation_id INTEGER NOT NULL, 
	direction VARCHAR(20) NOT NULL, 
	body TEXT NOT NULL, 
	author_id INTEGER, 
	sent_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id), 
	FOREIGN KEY(author_id) REFERENCES users (id)
);
INSERT INTO messages VALUES(1,1,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-25 02:57:14.000000');
INSERT INTO messages VALUES(2,1,'outbound','Olá! Temos horário na terça às 10h com o cardiologista. Podemos confirmar?',2,'2026-11-25 06:56:14.000000');
INSERT INTO messages VALUES(3,2,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-05 13:08:14.000000');
INSERT INTO messages VALUES(4,2,'outbound','Pode vir hoje às 8h, vamos encaixar você.',1,'2026-11-05 15:02:14.000000');
INSERT INTO messages VALUES(5,2,'inbound','Meu exame já ficou pronto? Fiz na sexta.',NULL,'2026-11-05 16:42:14.000000');
INSERT INTO messages VALUES(6,2,'outbound','Por favor, envie uma foto do pedido médico.',1,'2026-11-05 20:09:14.000000');
INSERT INTO messages VALUES(7,2,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o clínico geral.',NULL,'2026-11-05 23:42:14.000000');
INSERT INTO messages VALUES(8,2,'outbound','Pode vir hoje às 11h, vamos encaixar você.',3,'2026-11-06 02:15:14.000000');
INSERT INTO messages VALUES(9,2,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-06 05:16:14.000000');
INSERT INTO messages VALUES(10,2,'outbound','Consulta remarcada para sexta às 11h. Qualquer dúvida, estamos à disposição.',3,'2026-11-06 09:05:14.000000');
INSERT INTO messages VALUES(11,2,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-06 12:17:14.000000');
INSERT INTO messages VALUES(12,3,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-22 19:38:14.000000');
INSERT INTO messages VALUES(13,3,'outbound','Seu exame já está disponível na recepção.',3,'2026-11-22 22:11:14.000000');
INSERT INTO messages VALUES(14,3,'inbound','Boa tarde, vocês aceitam o convênio Unimed?',NULL,'2026-11-22 22:42:14.000000');
INSERT INTO messages VALUES(15,4,'inbound','Quanto custa a consulta particular com o ginecologista?',NULL,'2026-11-14 01:12:14.000000');
INSERT INTO messages VALUES(16,4,'outbound','Sim, aceitamos SulAmérica. Lembre de trazer a carteirinha.',3,'2026-11-14 02:52:14.000000');
INSERT INTO messages VALUES(17,4,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o cardiologista.',NULL,'2026-11-14 04:37:14.000000');
INSERT INTO messages VALUES(18,4,'inbound','Boa tarde, vocês aceitam o convênio SulAmérica?',NULL,'2026-11-14 04:38:14.000000');
INSERT INTO messages VALUES(19,4,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-14 07:22:14.000000');
INSERT INTO messages VALUES(20,4,'outbound','Combinado! Até lá.',1,'2026-11-14 10:29:14.000000');
INSERT INTO messages VALUES(21,5,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-08 06:19:14.000000');
INSERT INTO messages VALUES(22,5,'outbound','Olá! Temos horário na quinta às 13h com o cardiologista. Podemos confirmar?',2,'2026-11-08 06:41:14.000000');
INSERT INTO messages VALUES(23,5,'inbound','Quanto custa a consulta particular com o clínico geral?',NULL,'2026-11-08 10:16:14.000000');
INSERT INTO messages VALUES(24,5,'outbound','Seu exame já está disponível na recepção.',1,'2026-11-08 10:33:14.000000');
INSERT INTO messages VALUES(25,5,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-08 13:20:14.000000');
INSERT INTO messages VALUES(26,5,'outbound','Olá! Temos horário na segunda às 9h com o ginecologista. Podemos confirmar?',2,'2026-11-08 15:29:14.000000');
INSERT INTO messages VALUES(27,5,'inbound','Meu exame já ficou pronto? Fiz na sexta.',NULL,'2026-11-08 16:20:14.000000');
INSERT INTO messages VALUES(28,6,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-07 00:11:14.000000');
INSERT INTO messages VALUES(29,6,'outbound','Por favor, envie uma foto do pedido médico.',1,'2026-11-07 02:27:14.000000');
INSERT INTO messages VALUES(30,6,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-07 05:34:14.000000');
INSERT INTO messages VALUES(31,7,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-24 04:12:14.000000');
INSERT INTO messages VALUES(32,7,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-24 05:08:14.000000');
INSERT INTO messages VALUES(33,7,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-24 06:59:14.000000');
INSERT INTO messages VALUES(34,8,'inbound','Oi, preciso remarcar minha consulta de terça. É possível?',NULL,'2026-11-05 08:45:14.000000');
INSERT INTO messages VALUES(35,8,'outbound','Pode vir hoje às 14h, vamos encaixar você.',1,'2026-11-05 10:21:14.000000');
INSERT INTO messages VALUES(36,8,'inbound','Oi, preciso remarcar minha consulta de terça. É possível?',NULL,'2026-11-05 12:31:14.000000');
INSERT INTO messages VALUES(37,8,'inbound','Meu exame já ficou pronto? Fiz na terça.',NULL,'2026-11-05 15:49:14.000000');
INSERT INTO messages VALUES(38,9,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-11 17:48:14.000000');
INSERT INTO messages VALUES(39,9,'outbound','Consulta remarcada para quarta às 11h. Qualquer dúvida, estamos à disposição.',2,'2026-11-11 19:11:14.000000');
INSERT INTO messages VALUES(40,9,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-11 23:05:14.000000');
INSERT INTO messages VALUES(41,9,'outbound','Pode vir hoje às 10h, vamos encaixar você.',3,'2026-11-12 00:53:14.000000');
INSERT INTO messages VALUES(42,9,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-12 03:32:14.000000');
INSERT INTO messages VALUES(43,9,'outbound','Consulta remarcada para sexta às 13h. Qualquer dúvida, estamos à disposição.',1,'2026-11-12 04:17:14.000000');
INSERT INTO messages VALUES(44,9,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o pediatra.',NULL,'2026-11-12 07:52:14.000000');
INSERT INTO messages VALUES(45,10,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-04 18:50:14.000000');
INSERT INTO messages VALUES(46,10,'outbound','Pode vir hoje às 15h, vamos encaixar você.',1,'2026-11-04 21:31:14.000000');
INSERT INTO messages VALUES(47,11,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o dermatologista.',NULL,'2026-11-14 08:05:14.000000');
INSERT INTO messages VALUES(48,11,'outbound','Por favor, envie uma foto do pedido médico.',2,'2026-11-14 10:19:14.000000');
INSERT INTO messages VALUES(49,11,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-14 12:41:14.000000');
INSERT INTO messages VALUES(50,11,'outbound','Funcionamos aos sábados das 8h às 12h.',1,'2026-11-14 13:19:14.000000');
INSERT INTO messages VALUES(51,11,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-14 15:13:14.000000');
INSERT INTO messages VALUES(52,11,'outbound','Por favor, envie uma foto do pedido médico.',2,'2026-11-14 17:18:14.000000');
INSERT INTO messages VALUES(53,11,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-14 19:33:14.000000');
INSERT INTO messages VALUES(54,11,'outbound','Combinado! Até lá.',3,'2026-11-14 20:29:14.000000');
INSERT INTO messages VALUES(55,11,'inbound','Oi, preciso remarcar minha consulta de segunda. É possível?',NULL,'2026-11-14 23:42:14.000000');
INSERT INTO messages VALUES(56,12,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-10-31 20:06:14.000000');
INSERT INTO messages VALUES(57,12,'inbound','Quanto custa a consulta particular com o oftalmologista?',NULL,'2026-10-31 23:42:14.000000');
INSERT INTO messages VALUES(58,12,'outbound','Consulta remarcada para sexta às 17h. Qualquer dúvida, estamos à disposição.',2,'2026-11-01 01:30:14.000000');
INSERT INTO messages VALUES(59,12,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-01 01:48:14.000000');
INSERT INTO messages VALUES(60,12,'outbound','Sim, aceitamos Unimed. Lembre de trazer a carteirinha.',1,'2026-11-01 03:47:14.000000');
INSERT INTO messages VALUES(61,12,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-01 06:05:14.000000');
INSERT INTO messages VALUES(62,12,'inbound','Oi, preciso remarcar minha consulta de quinta. É possível?',NULL,'2026-11-01 06:19:14.000000');
INSERT INTO messages VALUES(63,12,'outbound','Funcionamos aos sábados das 8h às 12h.',2,'2026-11-01 10:12:14.000000');
INSERT INTO messages VALUES(64,13,'inbound','Obrigado pelo atendimento! Até a próxima.',NULL,'2026-11-21 09:29:14.000000');
INSERT INTO messages VALUES(65,14,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-01 11:09:14.000000');
INSERT INTO messages VALUES(66,15,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o pediatra.',NULL,'2026-11-13 11:47:14.000000');
INSERT INTO messages VALUES(67,15,'outbound','Sim, aceitamos Porto Saúde. Lembre de trazer a carteirinha.',3,'2026-11-13 12:05:14.000000');
INSERT INTO messages VALUES(68,15,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-13 13:00:14.000000');
INSERT INTO messages VALUES(69,15,'inbound','Boa tarde, vocês aceitam o convênio Porto Saúde?',NULL,'2026-11-13 13:14:14.000000');
INSERT INTO messages VALUES(70,16,'inbound','Oi, preciso remarcar minha consulta de segunda. É possível?',NULL,'2026-11-04 14:07:14.000000');
INSERT INTO messages VALUES(71,16,'outbound','Por favor, envie uma foto do pedido médico.',3,'2026-11-04 16:01:14.000000');
INSERT INTO messages VALUES(72,16,'inbound','Quanto custa a consulta particular com o oftalmologista?',NULL,'2026-11-04 19:39:14.000000');
INSERT INTO messages VALUES(73,16,'outbound','Pode vir hoje às 12h, vamos encaixar você.',3,'2026-11-04 23:31:14.000000');
INSERT INTO messages VALUES(74,16,'inbound','Oi, preciso remarcar minha consulta de quinta. É possível?',NULL,'2026-11-05 02:26:14.000000');
INSERT INTO messages VALUES(75,16,'outbound','Combinado! Até lá.',3,'2026-11-05 05:17:14.000000');
INSERT INTO messages VALUES(76,16,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-05 07:50:14.000000');
INSERT INTO messages VALUES(77,16,'outbound','Olá! Temos horário na quinta às 9h com o ginecologista. Podemos confirmar?',3,'2026-11-05 08:59:14.000000');
INSERT INTO messages VALUES(78,16,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-05 11:37:14.000000');
INSERT INTO messages VALUES(79,17,'inbound','Boa tarde, vocês aceitam o convênio Bradesco Saúde?',NULL,'2026-11-15 22:43:14.000000');
INSERT INTO messages VALUES(80,17,'outbound','Por favor, envie uma foto do pedido médico.',3,'2026-11-16 00:55:14.000000');
INSERT INTO messages VALUES(81,17,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-16 01:25:14.000000');
INSERT INTO messages VALUES(82,17,'outbound','Seu exame já está disponível na recepção.',2,'2026-11-16 01:52:14.000000');
INSERT INTO messages VALUES(83,18,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-18 03:38:14.000000');
INSERT INTO messages VALUES(84,18,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-18 03:41:14.000000');
INSERT INTO messages VALUES(85,19,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-24 01:58:14.000000');
INSERT INTO messages VALUES(86,19,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-24 03:14:14.000000');
INSERT INTO messages VALUES(87,19,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-24 05:10:14.000000');
INSERT INTO messages VALUES(88,19,'inbound','Boa tarde, vocês aceitam o convênio SulAmérica?',NULL,'2026-11-24 05:30:14.000000');
INSERT INTO messages VALUES(89,19,'outbound','Por favor, envie uma foto do pedido médico.',2,'2026-11-24 06:06:14.000000');
INSERT INTO messages VALUES(90,19,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o clínico geral.',NULL,'2026-11-24 09:36:14.000000');
INSERT INTO messages VALUES(91,19,'outbound','Olá! Temos horário na terça às 15h com o pediatra. Podemos confirmar?',1,'2026-11-24 10:19:14.000000');
INSERT INTO messages VALUES(92,20,'inbound','Oi, preciso remarcar minha consulta de quarta. É possível?',NULL,'2026-11-01 13:54:14.000000');
INSERT INTO messages VALUES(93,20,'inbound','Meu exame já ficou pronto? Fiz na quinta.',NULL,'2026-11-01 15:03:14.000000');
INSERT INTO messages VALUES(94,20,'inbound','Meu exame já ficou pronto? Fiz na quarta.',NULL,'2026-11-01 17:53:14.000000');
INSERT INTO messages VALUES(95,20,'outbound','Combinado! Até lá.',2,'2026-11-01 18:56:14.000000');
INSERT INTO messages VALUES(96,20,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-01 21:34:14.000000');
INSERT INTO messages VALUES(97,21,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-06 18:43:14.000000');
INSERT INTO messages VALUES(98,21,'inbound','Boa tarde, vocês aceitam o convênio Hapvida?',NULL,'2026-11-06 20:19:14.000000');
INSERT INTO messages VALUES(99,22,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-17 23:49:14.000000');
INSERT INTO messages VALUES(100,22,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o cardiologista.',NULL,'2026-11-18 01:51:14.000000');
INSERT INTO messages VALUES(101,22,'outbound','Olá! Temos horário na terça às 13h com o pediatra. Podemos confirmar?',1,'2026-11-18 03:50:14.000000');
INSERT INTO messages VALUES(102,22,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-18 04:36:14.000000');
INSERT INTO messages VALUES(103,22,'outbound','Consulta remarcada para sexta às 11h. Qualquer dúvida, estamos à disposição.',2,'2026-11-18 08:12:14.000000');
INSERT INTO messages VALUES(104,23,'inbound','Obrigado pelo atendimento! Até a próxima.',NULL,'2026-11-20 12:55:14.000000');
INSERT INTO messages VALUES(105,23,'outbound','Pode vir hoje às 8h, vamos encaixar você.',3,'2026-11-20 16:53:14.000000');
INSERT INTO messages VALUES(106,23,'inbound','Boa tarde, vocês aceitam o convênio Porto Saúde?',NULL,'2026-11-20 18:10:14.000000');
INSERT INTO messages VALUES(107,24,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-26 07:45:14.000000');
INSERT INTO messages VALUES(108,24,'outbound','Pode vir hoje às 13h, vamos encaixar você.',3,'2026-11-26 11:26:14.000000');
INSERT INTO messages VALUES(109,24,'inbound','Quanto custa a consulta particular com o ortopedista?',NULL,'2026-11-26 14:52:14.000000');
INSERT INTO messages VALUES(110,24,'inbound','Oi, preciso remarcar minha consulta de quinta. É possível?',NULL,'2026-11-26 17:24:14.000000');
INSERT INTO messages VALUES(111,24,'inbound','Oi, preciso remarcar minha consulta de quinta. É possível?',NULL,'2026-11-26 19:32:14.000000');
INSERT INTO messages VALUES(112,24,'outbound','Seu exame já está disponível na recepção.',1,'2026-11-26 22:11:14.000000');
INSERT INTO messages VALUES(113,25,'inbound','Meu exame já ficou pronto? Fiz na terça.',NULL,'2026-11-17 15:09:14.000000');
INSERT INTO messages VALUES(114,26,'inbound','Oi, preciso remarcar minha consulta de quarta. É possível?',NULL,'2026-11-14 04:56:14.000000');
INSERT INTO messages VALUES(115,26,'outbound','Funcionamos aos sábados das 8h às 12h.',3,'2026-11-14 08:13:14.000000');
INSERT INTO messages VALUES(116,26,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-14 09:35:14.000000');
INSERT INTO messages VALUES(117,27,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-25 07:04:14.000000');
INSERT INTO messages VALUES(118,27,'outbound','Sim, aceitamos Porto Saúde. Lembre de trazer a carteirinha.',1,'2026-11-25 10:48:14.000000');
INSERT INTO messages VALUES(119,27,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-25 13:31:14.000000');
INSERT INTO messages VALUES(120,27,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-25 17:16:14.000000');
INSERT INTO messages VALUES(121,27,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-25 18:54:14.000000');
INSERT INTO messages VALUES(122,27,'outbound','Por favor, envie uma foto do pedido médico.',2,'2026-11-25 22:01:14.000000');
INSERT INTO messages VALUES(123,27,'inbound','Boa tarde, vocês aceitam o convênio Porto Saúde?',NULL,'2026-11-26 01:42:14.000000');
INSERT INTO messages VALUES(124,27,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-26 04:59:14.000000');
INSERT INTO messages VALUES(125,28,'inbound','Quanto custa a consulta particular com o cardiologista?',NULL,'2026-11-28 14:13:14.000000');
INSERT INTO messages VALUES(126,28,'outbound','Combinado! Até lá.',1,'2026-11-28 16:15:14.000000');
INSERT INTO messages VALUES(127,28,'inbound','Meu exame já ficou pronto? Fiz na quarta.',NULL,'2026-11-28 17:54:14.000000');
INSERT INTO messages VALUES(128,28,'outbound','Olá! Temos horário na segunda às 13h com o cardiologista. Podemos confirmar?',1,'2026-11-28 19:21:14.000000');
INSERT INTO messages VALUES(129,28,'inbound','Meu exame já ficou pronto? Fiz na segunda.',NULL,'2026-11-28 19:51:14.000000');
INSERT INTO messages VALUES(130,28,'outbound','Seu exame já está disponível na recepção.',3,'2026-11-28 22:51:14.000000');
INSERT INTO messages VALUES(131,28,'inbound','Meu exame já ficou pronto? Fiz na quinta.',NULL,'2026-11-29 01:53:14.000000');
INSERT INTO messages VALUES(132,28,'outbound','Seu exame já está disponível na recepção.',3,'2026-11-29 02:28:14.000000');
INSERT INTO messages VALUES(133,28,'inbound','Meu exame já ficou pronto? Fiz na terça.',NULL,'2026-11-29 03:06:14.000000');
INSERT INTO messages VALUES(134,29,'inbound','Obrigado pelo atendimento! Até a próxima.',NULL,'2026-11-06 14:42:14.000000');
INSERT INTO messages VALUES(135,29,'outbound','Pode vir hoje às 8h, vamos encaixar você.',3,'2026-11-06 16:42:14.000000');
INSERT INTO messages VALUES(136,29,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o ginecologista.',NULL,'2026-11-06 17:52:14.000000');
INSERT INTO messages VALUES(137,29,'outbound','Sim, aceitamos Unimed. Lembre de trazer a carteirinha.',1,'2026-11-06 18:16:14.000000');
INSERT INTO messages VALUES(138,29,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-06 22:14:14.000000');
INSERT INTO messages VALUES(139,29,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-07 00:54:14.000000');
INSERT INTO messages VALUES(140,29,'inbound','Boa tarde, vocês aceitam o convênio Unimed?',NULL,'2026-11-07 01:53:14.000000');
INSERT INTO messages VALUES(141,29,'outbound','Combinado! Até lá.',1,'2026-11-07 05:22:14.000000');
INSERT INTO messages VALUES(142,29,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-07 06:07:14.000000');
INSERT INTO messages VALUES(143,30,'inbound','Quanto custa a consulta particular com o pediatra?',NULL,'2026-11-09 11:35:14.000000');
INSERT INTO messages VALUES(144,30,'inbound','Meu exame já ficou pronto? Fiz na quinta.',NULL,'2026-11-09 14:45:14.000000');
INSERT INTO messages VALUES(145,30,'outbound','Sim, aceitamos SulAmérica. Lembre de trazer a carteirinha.',2,'2026-11-09 14:55:14.000000');
INSERT INTO messages VALUES(146,31,'inbound','Boa tarde, vocês aceitam o convênio Hapvida?',NULL,'2026-11-09 08:44:14.000000');
INSERT INTO messages VALUES(147,31,'outbound','Funcionamos aos sábados das 8h às 12h.',4,'2026-11-09 12:16:14.000000');
INSERT INTO messages VALUES(148,31,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-09 12:58:14.000000');
INSERT INTO messages VALUES(149,31,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-09 15:52:14.000000');
INSERT INTO messages VALUES(150,31,'inbound','Quanto custa a consulta particular com o pediatra?',NULL,'2026-11-09 16:04:14.000000');
INSERT INTO messages VALUES(151,31,'outbound','Pode vir hoje às 17h, vamos encaixar você.',4,'2026-11-09 18:22:14.000000');
INSERT INTO messages VALUES(152,32,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-29 09:49:14.000000');
INSERT INTO messages VALUES(153,32,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-29 10:23:14.000000');
INSERT INTO messages VALUES(154,32,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-29 11:25:14.000000');
INSERT INTO messages VALUES(155,32,'inbound','Oi, preciso remarcar minha consulta de segunda. É possível?',NULL,'2026-11-29 13:14:14.000000');
INSERT INTO messages VALUES(156,32,'outbound','Por favor, envie uma foto do pedido médico.',5,'2026-11-29 16:42:14.000000');
INSERT INTO messages VALUES(157,32,'inbound','Quanto custa a consulta particular com o dermatologista?',NULL,'2026-11-29 20:41:14.000000');
INSERT INTO messages VALUES(158,33,'inbound','Oi, preciso remarcar minha consulta de sexta. É possível?',NULL,'2026-11-28 17:47:14.000000');
INSERT INTO messages VALUES(159,33,'outbound','Sim, aceitamos Hapvida. Lembre de trazer a carteirinha.',4,'2026-11-28 19:46:14.000000');
INSERT INTO messages VALUES(160,34,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-04 19:38:14.000000');
INSERT INTO messages VALUES(161,34,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-04 20:53:14.000000');
INSERT INTO messages VALUES(162,34,'outbound','Combinado! Até lá.',6,'2026-11-04 23:30:14.000000');
INSERT INTO messages VALUES(163,34,'inbound','Meu exame já ficou pronto? Fiz na sexta.',NULL,'2026-11-05 02:33:14.000000');
INSERT INTO messages VALUES(164,34,'outbound','Consulta remarcada para terça às 10h. Qualquer dúvida, estamos à disposição.',4,'2026-11-05 05:00:14.000000');
INSERT INTO messages VALUES(165,35,'inbound','Quanto custa a consulta particular com o ortopedista?',NULL,'2026-11-12 23:47:14.000000');
INSERT INTO messages VALUES(166,35,'inbound','Boa tarde, vocês aceitam o convênio SulAmérica?',NULL,'2026-11-13 02:20:14.000000');
INSERT INTO messages VALUES(167,35,'inbound','Oi, preciso remarcar minha consulta de segunda. É possível?',NULL,'2026-11-13 04:46:14.000000');
INSERT INTO messages VALUES(168,36,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-02 14:10:14.000000');
INSERT INTO messages VALUES(169,36,'outbound','Sim, aceitamos Unimed. Lembre de trazer a carteirinha.',5,'2026-11-02 17:34:14.000000');
INSERT INTO messages VALUES(170,37,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-26 22:02:14.000000');
INSERT INTO messages VALUES(171,37,'outbound','Por favor, envie uma foto do pedido médico.',4,'2026-11-26 22:46:14.000000');
INSERT INTO messages VALUES(172,37,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-26 23:18:14.000000');
INSERT INTO messages VALUES(173,37,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-27 01:48:14.000000');
INSERT INTO messages VALUES(174,37,'outbound','Seu exame já está disponível na recepção.',4,'2026-11-27 03:25:14.000000');
INSERT INTO messages VALUES(175,38,'inbound','Oi, preciso remarcar minha consulta de quarta. É possível?',NULL,'2026-11-27 04:54:14.000000');
INSERT INTO messages VALUES(176,38,'inbound','Boa tarde, vocês aceitam o convênio Amil?',NULL,'2026-11-27 07:42:14.000000');
INSERT INTO messages VALUES(177,38,'inbound','Oi, preciso remarcar minha consulta de terça. É possível?',NULL,'2026-11-27 08:47:14.000000');
INSERT INTO messages VALUES(178,38,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-27 10:07:14.000000');
INSERT INTO messages VALUES(179,38,'inbound','Meu exame já ficou pronto? Fiz na quinta.',NULL,'2026-11-27 10:20:14.000000');
INSERT INTO messages VALUES(180,38,'inbound','Oi, preciso remarcar minha consulta de sexta. É possível?',NULL,'2026-11-27 11:55:14.000000');
INSERT INTO messages VALUES(181,38,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-27 13:36:14.000000');
INSERT INTO messages VALUES(182,39,'inbound','Meu exame já ficou pronto? Fiz na quinta.',NULL,'2026-11-18 11:22:14.000000');
INSERT INTO messages VALUES(183,39,'outbound','Combinado! Até lá.',6,'2026-11-18 11:27:14.000000');
INSERT INTO messages VALUES(184,39,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-18 13:38:14.000000');
INSERT INTO messages VALUES(185,40,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-25 09:33:14.000000');
INSERT INTO messages VALUES(186,40,'outbound','Consulta remarcada para quarta às 16h. Qualquer dúvida, estamos à disposição.',4,'2026-11-25 12:30:14.000000');
INSERT INTO messages VALUES(187,40,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-25 14:35:14.000000');
INSERT INTO messages VALUES(188,40,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-25 17:24:14.000000');
INSERT INTO messages VALUES(189,40,'outbound','Olá! Temos horário na terça às 12h com o cardiologista. Podemos confirmar?',4,'2026-11-25 20:22:14.000000');
INSERT INTO messages VALUES(190,40,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-25 21:46:14.000000');
INSERT INTO messages VALUES(191,40,'inbound','Oi, preciso remarcar minha consulta de quinta. É possível?',NULL,'2026-11-25 23:35:14.000000');
INSERT INTO messages VALUES(192,40,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o clínico geral.',NULL,'2026-11-26 02:31:14.000000');
INSERT INTO messages VALUES(193,40,'outbound','Olá! Temos horário na sexta às 11h com o clínico geral. Podemos confirmar?',5,'2026-11-26 04:32:14.000000');
INSERT INTO messages VALUES(194,41,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o clínico geral.',NULL,'2026-11-03 12:15:14.000000');
INSERT INTO messages VALUES(195,41,'inbound','Boa tarde, vocês aceitam o convênio Amil?',NULL,'2026-11-03 15:08:14.000000');
INSERT INTO messages VALUES(196,41,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-03 15:45:14.000000');
INSERT INTO messages VALUES(197,41,'outbound','Sim, aceitamos Amil. Lembre de trazer a carteirinha.',4,'2026-11-03 16:28:14.000000');
INSERT INTO messages VALUES(198,41,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o cardiologista.',NULL,'2026-11-03 18:55:14.000000');
INSERT INTO messages VALUES(199,41,'outbound','Sim, aceitamos Amil. Lembre de trazer a carteirinha.',6,'2026-11-03 22:44:14.000000');
INSERT INTO messages VALUES(200,42,'inbound','Oi, preciso remarcar minha consulta de quarta. É possível?',NULL,'2026-11-06 17:11:14.000000');
INSERT INTO messages VALUES(201,42,'outbound','Funcionamos aos sábados das 8h às 12h.',5,'2026-11-06 19:24:14.000000');
INSERT INTO messages VALUES(202,42,'inbound','Boa tarde, vocês aceitam o convênio Bradesco Saúde?',NULL,'2026-11-06 19:54:14.000000');
INSERT INTO messages VALUES(203,42,'outbound','Seu exame já está disponível na recepção.',6,'2026-11-06 20:46:14.000000');
INSERT INTO messages VALUES(204,42,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-07 00:28:14.000000');
INSERT INTO messages VALUES(205,43,'inbound','Quanto custa a consulta particular com o oftalmologista?',NULL,'2026-11-06 03:16:14.000000');
INSERT INTO messages VALUES(206,43,'outbound','Funcionamos aos sábados das 8h às 12h.',4,'2026-11-06 06:14:14.000000');
INSERT INTO messages VALUES(207,43,'inbound','Meu exame já ficou pronto? Fiz na quinta.',NULL,'2026-11-06 06:19:14.000000');
INSERT INTO messages VALUES(208,43,'inbound','Oi, preciso remarcar minha consulta de sexta. É possível?',NULL,'2026-11-06 07:07:14.000000');
INSERT INTO messages VALUES(209,44,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-23 07:54:14.000000');
INSERT INTO messages VALUES(210,44,'outbound','Funcionamos aos sábados das 8h às 12h.',5,'2026-11-23 08:17:14.000000');
INSERT INTO messages VALUES(211,44,'inbound','Oi, preciso remarcar minha consulta de sexta. É possível?',NULL,'2026-11-23 11:44:14.000000');
INSERT INTO messages VALUES(212,45,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-29 08:13:14.000000');
INSERT INTO messages VALUES(213,45,'outbound','Sim, aceitamos SulAmérica. Lembre de trazer a carteirinha.',5,'2026-11-29 12:02:14.000000');
INSERT INTO messages VALUES(214,45,'inbound','Quanto custa a consulta particular com o cardiologista?',NULL,'2026-11-29 14:48:14.000000');
INSERT INTO messages VALUES(215,45,'outbound','Olá! Temos horário na quinta às 17h com o oftalmologista. Podemos confirmar?',4,'2026-11-29 16:32:14.000000');
INSERT INTO messages VALUES(216,45,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o ginecologista.',NULL,'2026-11-29 17:51:14.000000');
INSERT INTO messages VALUES(217,46,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-22 15:08:14.000000');
INSERT INTO messages VALUES(218,46,'inbound','Obrigado pelo atendimento! Até a próxima.',NULL,'2026-11-22 15:12:14.000000');
INSERT INTO messages VALUES(219,46,'outbound','Pode vir hoje às 15h, vamos encaixar você.',6,'2026-11-22 18:43:14.000000');
INSERT INTO messages VALUES(220,47,'inbound','Oi, preciso remarcar minha consulta de quinta. É possível?',NULL,'2026-11-22 19:55:14.000000');
INSERT INTO messages VALUES(221,47,'outbound','Sim, aceitamos Hapvida. Lembre de trazer a carteirinha.',6,'2026-11-22 21:09:14.000000');
INSERT INTO messages VALUES(222,47,'inbound','Obrigado pelo atendimento! Até a próxima.',NULL,'2026-11-22 23:51:14.000000');
INSERT INTO messages VALUES(223,47,'outbound','Seu exame já está disponível na recepção.',5,'2026-11-23 02:04:14.000000');
INSERT INTO messages VALUES(224,47,'inbound','Meu exame já ficou pronto? Fiz na terça.',NULL,'2026-11-23 04:00:14.000000');
INSERT INTO messages VALUES(225,47,'outbound','Por favor, envie uma foto do pedido médico.',4,'2026-11-23 04:07:14.000000');
INSERT INTO messages VALUES(226,47,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-23 06:24:14.000000');
INSERT INTO messages VALUES(227,47,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-23 08:15:14.000000');
INSERT INTO messages VALUES(228,48,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-02 15:58:14.000000');
INSERT INTO messages VALUES(229,49,'inbound','Meu exame já ficou pronto? Fiz na quinta.',NULL,'2026-11-10 09:04:14.000000');
INSERT INTO messages VALUES(230,49,'outbound','Pode vir hoje às 16h, vamos encaixar você.',4,'2026-11-10 11:31:14.000000');
INSERT INTO messages VALUES(231,49,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-10 11:55:14.000000');
INSERT INTO messages VALUES(232,49,'outbound','Funcionamos aos sábados das 8h às 12h.',4,'2026-11-10 13:04:14.000000');
INSERT INTO messages VALUES(233,49,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-10 16:07:14.000000');
INSERT INTO messages VALUES(234,49,'outbound','Seu exame já está disponível na recepção.',4,'2026-11-10 17:53:14.000000');
INSERT INTO messages VALUES(235,49,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-10 18:21:14.000000');
INSERT INTO messages VALUES(236,49,'outbound','Consulta remarcada para segunda às 17h. Qualquer dúvida, estamos à disposição.',4,'2026-11-10 20:08:14.000000');
INSERT INTO messages VALUES(237,49,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-10 20:49:14.000000');
INSERT INTO messages VALUES(238,50,'inbound','Oi, preciso remarcar minha consulta de quinta. É possível?',NULL,'2026-11-16 10:50:14.000000');
INSERT INTO messages VALUES(239,51,'inbound','Quanto custa a consulta particular com o cardiologista?',NULL,'2026-11-10 05:16:14.000000');
INSERT INTO messages VALUES(240,51,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-10 09:16:14.000000');
INSERT INTO messages VALUES(241,51,'outbound','Funcionamos aos sábados das 8h às 12h.',6,'2026-11-10 11:49:14.000000');
INSERT INTO messages VALUES(242,52,'inbound','Preciso de uma segunda via do pedido de exame, por favor.',NULL,'2026-11-11 11:11:14.000000');
INSERT INTO messages VALUES(243,53,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o cardiologista.',NULL,'2026-11-21 19:25:14.000000');
INSERT INTO messages VALUES(244,54,'inbound','Bom dia, estou com dor desde ontem, tem horário para hoje?',NULL,'2026-11-15 07:20:14.000000');
INSERT INTO messages VALUES(245,55,'inbound','Quanto custa a consulta particular com o pediatra?',NULL,'2026-11-01 04:00:14.000000');
INSERT INTO messages VALUES(246,55,'inbound','Boa tarde, vocês aceitam o convênio Bradesco Saúde?',NULL,'2026-11-01 05:33:14.000000');
INSERT INTO messages VALUES(247,55,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-01 07:46:14.000000');
INSERT INTO messages VALUES(248,55,'outbound','Funcionamos aos sábados das 8h às 12h.',5,'2026-11-01 11:42:14.000000');
INSERT INTO messages VALUES(249,55,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-01 13:13:14.000000');
INSERT INTO messages VALUES(250,55,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o cardiologista.',NULL,'2026-11-01 13:22:14.000000');
INSERT INTO messages VALUES(251,55,'outbound','Funcionamos aos sábados das 8h às 12h.',5,'2026-11-01 16:54:14.000000');
INSERT INTO messages VALUES(252,56,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-10-31 14:20:14.000000');
INSERT INTO messages VALUES(253,56,'outbound','Consulta remarcada para quarta às 13h. Qualquer dúvida, estamos à disposição.',6,'2026-10-31 17:20:14.000000');
INSERT INTO messages VALUES(254,56,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-10-31 17:48:14.000000');
INSERT INTO messages VALUES(255,56,'outbound','Funcionamos aos sábados das 8h às 12h.',4,'2026-10-31 20:29:14.000000');
INSERT INTO messages VALUES(256,56,'inbound','Olá, bom dia! Gostaria de marcar uma consulta com o pediatra.',NULL,'2026-10-31 22:02:14.000000');
INSERT INTO messages VALUES(257,56,'outbound','Funcionamos aos sábados das 8h às 12h.',6,'2026-10-31 23:27:14.000000');
INSERT INTO messages VALUES(258,56,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-10-31 23:55:14.000000');
INSERT INTO messages VALUES(259,56,'outbound','Por favor, envie uma foto do pedido médico.',6,'2026-11-01 00:12:14.000000');
INSERT INTO messages VALUES(260,56,'inbound','Meu exame já ficou pronto? Fiz na sexta.',NULL,'2026-11-01 01:27:14.000000');
INSERT INTO messages VALUES(261,57,'inbound','Posso levar meu filho junto na consulta?',NULL,'2026-11-24 02:17:14.000000');
INSERT INTO messages VALUES(262,58,'inbound','Qual o horário de funcionamento no sábado?',NULL,'2026-11-12 03:25:14.000000');
INSERT INTO messages VALUES(263,58,'inbound','Oi, preciso remarcar minha consulta de quarta. É possível?',NULL,'2026-11-12 06:54:14.000000');
INSERT INTO messages VALUES(264,59,'inbound','Obrigado pelo atendimento! Até a próxima.',NULL,'2026-11-01 05:33:14.000000');
INSERT INTO messages VALUES(265,59,'outbound','Pode vir hoje às 8h, vamos encaixar você.',4,'2026-11-01 08:49:14.000000');
INSERT INTO messages VALUES(266,59,'inbound','Chego uns 15 minutos atrasado, tudo bem?',NULL,'2026-11-01 09:35:14.000000');
INSERT INTO messages VALUES(267,59,'outbound','Consulta remarcada para quarta às 9h. Qualquer dúvida, estamos à disposição.',5,'2026-11-01 10:50:14.000000');
INSERT INTO messages VALUES(268,59,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-01 10:54:14.000000');
INSERT INTO messages VALUES(269,59,'outbound','Seu exame já está disponível na recepção.',6,'2026-11-01 11:33:14.000000');
INSERT INTO messages VALUES(270,59,'inbound','Oi, preciso remarcar minha consulta de terça. É possível?',NULL,'2026-11-01 12:32:14.000000');
INSERT INTO messages VALUES(271,60,'inbound','Boa tarde, vocês aceitam o convênio Hapvida?',NULL,'2026-11-25 15:55:14.000000');
INSERT INTO messages VALUES(272,60,'outbound','Seu exame já está disponível na recepção.',4,'2026-11-25 18:16:14.000000');
INSERT INTO messages VALUES(273,60,'inbound','Vocês fazem exame de sangue sem agendamento?',NULL,'2026-11-25 18:59:14.000000');
CREATE TABLE notes (
	id INTEGER NOT NULL, 
	conversation_id INTEGER NOT NULL, 
	author_id INTEGER NOT NULL, 
	body TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(conversation_id) REFERENCES conversations (id), 
	FOREIGN KEY(author_id) REFERENCES users (id)
);
INSERT INTO notes VALUES(1,4,3,'Paciente idoso: reservar horário com acompanhante.','2026-11-14 10:29:14.000000');
INSERT INTO notes VALUES(2,27,3,'Confirmar cobertura do convênio antes da consulta.','2026-11-26 04:59:14.000000');
INSERT INTO notes VALUES(3,33,5,'Pediu retorno do Dr. sobre o resultado do exame.','2026-11-28 19:46:14.000000');
INSERT INTO notes VALUES(4,33,6,'Confirmar cobertura do convênio antes da consulta.','2026-11-28 19:46:14.000000');
INSERT INTO notes VALUES(5,39,6,'Confirmar cobertura do convênio antes da consulta.','2026-11-18 13:38:14.000000');
INSERT INTO notes VALUES(6,41,4,'Paciente prefere contato pela manhã.','2026-11-03 22:44:14.000000');
INSERT INTO notes VALUES(7,41,6,'Confirmar cobertura do convênio antes da consulta.','2026-11-03 22:44:14.000000');
INSERT INTO notes VALUES(8,47,4,'Pediu retorno do Dr. sobre o resultado do exame.','2026-11-23 08:15:14.000000');
INSERT INTO notes VALUES(9,47,4,'Pediu retorno do Dr. sobre o resultado do exame.','2026-11-23 08:15:14.000000');
INSERT INTO notes VALUES(10,52,5,'Paciente prefere contato pela manhã.','2026-11-11 11:11:14.000000');
INSERT INTO notes VALUES(11,55,6,'Paciente idoso: reservar horário com acompanhante.','2026-11-01 16:54:14.000000');
INSERT INTO notes VALUES(12,55,6,'Paciente prefere contato pela manhã.','2026-11-01 16:54:14.000000');
INSERT INTO notes VALUES(13,28,1,'Release dump note','2026-11-29 22:59:23.558690');
CREATE INDEX ix_idempotency_created_at ON idempotency (created_at);
CREATE INDEX ix_users_clinic_id ON users (clinic_id);
CREATE INDEX ix_tokens_user_id ON tokens (user_id);
CREATE INDEX ix_conversations_clinic_id ON conversations (clinic_id);
CREATE INDEX ix_conversations_patient_id ON conversations (patient_id);
CREATE INDEX ix_messages_conversation_id_id ON messages (conversation_id, id);
CREATE INDEX ix_notes_conversation_id ON notes (conversation_id);
COMMIT;
