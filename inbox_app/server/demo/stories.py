"""What the demo's patients and the clinic say to each other: believable conversations.

Each :class:`Story` is one exchange read in order: the patient asks, the clinic answers, the
patient replies, and so on (a demo conversation is a story cut after any of its lines, so the
newest may wait for an answer). A story says who can tell it (an age range; "meu filho" is
said by a parent, not a child) and whether it needs the patient's insurance. The words fit
the patient (Obrigado/Obrigada) and the clock (Bom dia before noon, Boa tarde, Boa noite),
in the clinic's time zone. A patient who writes on a second channel says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from inbox_app.contract.models import Direction, Priority

#: The demo clinics are in Brasília time (no daylight saving time since 2019).
CLINIC_TZ = timezone(timedelta(hours=-3))
#: The clinic answers from OPENS to CLOSES (local hours); patients write from 7h to 22h.
OPENS, CLOSES = 8, 18
PATIENT_FIRST_HOUR, PATIENT_LAST_HOUR = 7, 22

IN, OUT = Direction.INBOUND, Direction.OUTBOUND

_AREAS = [
    "cardiologia",
    "dermatologia",
    "ortopedia",
    "ginecologia",
    "oftalmologia",
    "clínica geral",
    "endocrinologia",
]
_WEEKDAYS = ["segunda", "terça", "quarta", "quinta", "sexta"]


@dataclass(frozen=True)
class Story:
    """One conversation's lines, in order, and who can tell it."""

    name: str
    lines: tuple[tuple[Direction, str], ...]
    min_age: int = 18
    max_age: int = 120
    needs_insurance: bool = False
    #: priorities it is given (weights): pain is urgent, a question about prices is not
    priorities: tuple[int, int, int, int] = (1, 3, 12, 4)
    #: a note colleagues may leave on it
    notes: tuple[str, ...] = field(default_factory=tuple)


STORIES: tuple[Story, ...] = (
    Story(
        "marcar",
        (
            (IN, "{greeting}! Gostaria de marcar uma consulta de {area}."),
            (
                OUT,
                "{greeting}, {first}! Temos horário na {day} às {hour}h para {area}. "
                "Podemos confirmar?",
            ),
            (IN, "Pode ser, confirmo sim."),
            (OUT, "Combinado! Consulta de {area} confirmada para {day} às {hour}h. Até lá."),
            (IN, "{thanks}!"),
        ),
    ),
    Story(
        "convenio",
        (
            (IN, "{greeting}, vocês aceitam o convênio {insurance}?"),
            (
                OUT,
                "Aceitamos sim, {first}. Lembre de trazer a carteirinha do {insurance} no dia "
                "da consulta.",
            ),
            (IN, "Ótimo, {thanks_lower}!"),
        ),
        needs_insurance=True,
        notes=("Confirmar cobertura do convênio antes da consulta.",),
    ),
    Story(
        "remarcar",
        (
            (IN, "{greeting}! Preciso remarcar minha consulta de {day}. É possível?"),
            (
                OUT,
                "Claro! Temos {other_day} às {hour}h ou {third_day} às {other_hour}h. "
                "Qual fica melhor?",
            ),
            (IN, "{other_day_title} às {hour}h fica ótimo."),
            (
                OUT,
                "Consulta remarcada para {other_day} às {hour}h. Qualquer dúvida, estamos à "
                "disposição.",
            ),
        ),
    ),
    Story(
        "sabado",
        (
            (IN, "Qual o horário de funcionamento no sábado?"),
            (OUT, "Aos sábados funcionamos das 8h às 12h."),
            (IN, "{thanks}!"),
        ),
        priorities=(0, 1, 10, 8),
    ),
    Story(
        "exame",
        (
            (IN, "{greeting}! Meu exame já ficou pronto? Fiz na {day} passada."),
            (
                OUT,
                "Já está disponível, {first}. Pode retirar na recepção ou ver no site com o "
                "seu CPF.",
            ),
            (IN, "Vou passar aí amanhã, {thanks_lower}."),
        ),
        notes=("Pediu retorno do médico sobre o resultado do exame.",),
    ),
    Story(
        "dor",
        (
            (IN, "{greeting}, estou com dor nas costas desde ontem. Tem horário para hoje?"),
            (
                OUT,
                "Sinto muito, {first}. Conseguimos um encaixe {soon} com a clínica geral. "
                "Pode vir?",
            ),
            (IN, "Posso sim, {thanks_lower} pelo encaixe."),
            (OUT, "Combinado. Avise na recepção que é encaixe."),
        ),
        priorities=(6, 4, 1, 0),
    ),
    Story(
        "sangue",
        (
            (IN, "Vocês fazem exame de sangue sem agendamento?"),
            (OUT, "Fazemos sim, de segunda a sexta das 7h às 10h. É preciso jejum de 8 horas."),
            (IN, "Perfeito, {thanks_lower}!"),
        ),
    ),
    Story(
        "segunda_via",
        (
            (IN, "{greeting}! Preciso de uma segunda via do pedido de exame, por favor."),
            (OUT, "Claro! Envie uma foto do pedido antigo ou diga de qual consulta ele é."),
            (IN, "É da consulta de {area} do mês passado."),
            (OUT, "Encontramos. A segunda via está pronta na recepção."),
        ),
    ),
    Story(
        "particular",
        (
            (IN, "Quanto custa a consulta particular de {area}?"),
            (OUT, "A consulta particular de {area} custa R$ {price},00. Aceitamos cartão e Pix."),
            (IN, "Entendi. Vou ver e retorno."),
        ),
        priorities=(0, 1, 8, 10),
    ),
    Story(
        "levar_filho",
        (
            (IN, "{greeting}! Posso levar {child} junto na consulta? Não tenho com quem deixar."),
            (OUT, "Pode sim, {first}. Temos um espaço para crianças na recepção."),
            (IN, "Que bom, {thanks_lower}!"),
        ),
        min_age=24,
        max_age=55,
    ),
    Story(
        "pediatra",
        (
            (IN, "{greeting}! Queria marcar pediatra para {child}, de {kid_age} anos."),
            (OUT, "Temos horário na {day} às {hour}h com a pediatra. Podemos confirmar?"),
            (IN, "Confirmo sim."),
            (OUT, "Confirmado! Traga a carteira de vacinação, por favor."),
        ),
        min_age=22,
        max_age=50,
    ),
    Story(
        "atraso",
        (
            (IN, "Chego uns 15 minutos {late} na consulta de hoje, tudo bem?"),
            (OUT, "Tudo bem, {first}! Já avisamos a equipe."),
            (IN, "{thanks}!"),
        ),
    ),
    Story(
        "acompanhante",
        (
            (
                IN,
                "{greeting}! Minha consulta é na {day}. Posso entrar com minha filha? Ela me "
                "ajuda a lembrar das receitas.",
            ),
            (OUT, "Pode sim, {first}. Acompanhantes são bem-vindos."),
            (IN, "{thanks}, vocês são muito atenciosos."),
        ),
        min_age=68,
        notes=("Paciente idoso: reservar horário com acompanhante.",),
    ),
)

#: A patient who already wrote on another channel says so in the second one.
SECOND_CHANNEL = Story(
    "outro_canal",
    (
        (IN, "{greeting}! Mandei mensagem pelo {first_channel} também. Podem responder por aqui?"),
        (OUT, "{greeting}, {first}! Claro, seguimos por aqui."),
        (IN, "{thanks}!"),
    ),
)

#: A note any conversation may get, and one for when the clinic waits for an answer.
MORNING_NOTE = "Paciente prefere contato pela manhã."
NO_ANSWER_NOTE = "Já ligamos duas vezes, sem resposta."

#: The messages that start with a greeting of the time of day, and the hours it fits.
GREETINGS = {"Bom dia": range(5, 12), "Boa tarde": range(12, 18), "Boa noite": range(18, 24)}
#: Phrases only a parent says.
PARENT_PHRASES = ("meu filho", "minha filha")


@dataclass(frozen=True)
class Person:
    """Who writes: what the lines need to fit them."""

    first_name: str
    female: bool
    age: int
    insurance: str | None


def greeting(when: datetime) -> str:
    """Bom dia, Boa tarde or Boa noite at the clinic's local hour of ``when``."""
    hour = when.astimezone(CLINIC_TZ).hour
    return next((text for text, hours in GREETINGS.items() if hour in hours), "Boa noite")


def soon(when: datetime) -> str:
    """The next free slot after ``when`` as the clinic says it: "hoje às 15h", or
    "amanhã às 8h" when today's hours are over."""
    hour = when.astimezone(CLINIC_TZ).hour + 2
    return f"hoje às {hour}h" if OPENS <= hour < CLOSES else f"amanhã às {OPENS}h"


def stories_for(person: Person) -> list[Story]:
    """The stories this person can tell."""
    return [
        s
        for s in STORIES
        if s.min_age <= person.age <= s.max_age and (person.insurance or not s.needs_insurance)
    ]


def _later(at: datetime, minutes: int, first_hour: int, last_hour: int) -> datetime:
    """``minutes`` after ``at``, moved to the next morning when that is outside the hours."""
    when = (at + timedelta(minutes=minutes)).astimezone(CLINIC_TZ)
    if when.hour >= last_hour:
        when = (when + timedelta(days=1)).replace(hour=first_hour, minute=0)
        when += timedelta(minutes=minutes % 50)
    elif when.hour < first_hour:
        when = when.replace(hour=first_hour, minute=0) + timedelta(minutes=minutes % 50)
    return when.astimezone(UTC)


def tell(
    story: Story,
    person: Person,
    start: datetime,
    now: datetime,
    rng: random.Random,
    *,
    first_channel: str = "",
    lines: int | None = None,
) -> list[tuple[Direction, str, datetime]]:
    """The first ``lines`` messages (default all) of a story begun at ``start``, each at a
    believable time, up to ``now`` (a story still going on ends at what has been said so
    far; at least its first line)."""
    days = rng.sample(_WEEKDAYS, 3)
    hour, other_hour = rng.sample(range(OPENS, CLOSES), 2)
    values = {
        "first": person.first_name,
        "area": rng.choice(_AREAS),
        "day": days[0],
        "other_day": days[1],
        "other_day_title": days[1].capitalize(),
        "third_day": days[2],
        "hour": str(hour),
        "other_hour": str(other_hour),
        "insurance": person.insurance or "",
        "price": str(rng.choice([250, 280, 300, 350])),
        "thanks": "Obrigada" if person.female else "Obrigado",
        "thanks_lower": "obrigada" if person.female else "obrigado",
        "late": "atrasada" if person.female else "atrasado",
        "child": rng.choice(PARENT_PHRASES),
        "kid_age": str(rng.randint(2, 11)),
        "first_channel": first_channel,
    }
    said: list[tuple[Direction, str, datetime]] = []
    at = start
    for index, (direction, template) in enumerate(story.lines[:lines]):
        if index:
            if direction is OUT:  # the clinic answers within office hours
                at = _later(at, rng.randint(3, 90), OPENS, CLOSES)
            else:
                at = _later(at, rng.randint(5, 240), PATIENT_FIRST_HOUR, PATIENT_LAST_HOUR)
            if at > now:
                break
        text = template.format(**values, greeting=greeting(at), soon=soon(at))
        said.append((direction, text, at))
    return said


def start_time(
    rng: random.Random, now: datetime, *, within_days: int = 30, not_before: datetime | None = None
) -> datetime:
    """When a patient starts writing: a day within ``within_days`` (after ``not_before``),
    in the patients' hours."""
    oldest = not_before or now - timedelta(days=within_days)
    span = max(60, int((now - oldest).total_seconds() // 60))
    at = _later(
        oldest + timedelta(minutes=rng.randint(0, span)), 0, PATIENT_FIRST_HOUR, PATIENT_LAST_HOUR
    )
    return at if at <= now else at - timedelta(days=1)  # the same hour, a day earlier


def waiting_cut(story: Story, rng: random.Random) -> int:
    """Where to end a story that waits for the clinic: after one of the patient's lines."""
    return rng.choice(
        [i + 1 for i, (direction, _text) in enumerate(story.lines) if direction is IN]
    )


def priority_of(story: Story, rng: random.Random) -> Priority:
    """The priority a receptionist gave the conversation."""
    return rng.choices(list(Priority), weights=story.priorities)[0]
