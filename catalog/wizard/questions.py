"""What the wizard asks and the vocabulary its answers use.

The project types follow the "project type -> best fit" table the wizard
decides by: each names the outputs it implies and one sentence the verdict
can give as a reason. Nothing here reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass

# The kinds of model a verdict can call for.
LANGUAGE = "language"
MEDIA = "media"
BOTH = "both"
UNDECIDED = "undecided"

# Outputs a language model produces, and outputs that need a generative media model.
LANGUAGE_OUTPUTS = ("text", "code", "data", "document")
MEDIA_OUTPUTS = ("image", "audio", "speech", "video", "3d")
# Canonical order for outputs that come from project types rather than the form.
OUTPUT_ORDER = (*LANGUAGE_OUTPUTS, *MEDIA_OUTPUTS)


@dataclass(frozen=True)
class ProjectType:
    """A step-1 answer: a use case with what it must produce and why."""

    slug: str  # the UseCase slug editors tag tools with
    label: str
    outputs: tuple[str, ...]
    hint: str
    why: str  # one verdict reason, tied to this answer


# The "project type -> best fit" table, in our words: slug (a UseCase), label,
# the outputs it implies, a hint, and the verdict reason it contributes.
_PROJECT_TABLE = [
    ("writing-editing", "Writing and editing", ("text",),
     "Articles, emails, rewrites in another voice or length.",
     "Writing and editing is language work, which is what LLMs are built for."),
    ("customer-support", "Customer support", ("text",),
     "Answering customers in chat or by email.",
     "Customer support is conversation, a language model's home ground."),
    ("art-graphics", "Art and graphics", ("image",),
     "Illustrations, logos, marketing visuals.",
     "Art and graphics need pictures, which come from generative media models."),
    ("music-audio", "Music and audio", ("audio",),
     "Songs, soundtracks, sound effects.",
     "Music and sound come from generative audio models; a language model can only write about "
     "them."),
    ("video-content", "Video content", ("video",),
     "Clips, explainers, animation, talking avatars.",
     "Moving pictures come from generative video models."),
    ("coding-help", "Coding help", ("code",),
     "Writing, explaining and debugging code.",
     "Coding help is language work: LLMs write and debug code from plain instructions. A media "
     "model can add the diagrams."),
    ("research-summaries", "Research and summaries", ("text",),
     "Reading sources, taking notes, condensing them.",
     "Research and summaries are language work: reading, condensing, answering."),
    ("translation", "Translation", ("text",),
     "Turning text into other languages.",
     "Translation is language work."),
    ("marketing", "Marketing content", ("text", "image"),
     "Copy and visuals for campaigns and social posts.",
     "Marketing needs words and visuals: a language model for the copy, a media model for the "
     "pictures."),
    ("voice-speech", "Voice and speech", ("speech",),
     "Narration, dubbing, voice-overs.",
     "A voice comes from a speech model, not a text model."),
    ("design", "Design and presentations", ("image", "document"),
     "Slides, layouts, mock-ups.",
     "Design needs layout and visuals as well as words."),
    ("productivity", "Notes and productivity", ("text",),
     "Meeting notes, to-dos, everyday writing.",
     "Notes and everyday writing are language work."),
    ("3d-assets", "3D assets", ("3d",),
     "Models, scenes and textures.",
     "3D assets come from generative 3D models."),
    ("data-analysis", "Data analysis", ("data", "text"),
     "Questions about spreadsheets and datasets.",
     "Asking questions of data and explaining the answers is language work."),
]  # fmt: skip
PROJECTS: dict[str, ProjectType] = {row[0]: ProjectType(*row) for row in _PROJECT_TABLE}

SCALES: dict[str, tuple[str, str]] = {
    "one_off": ("A one-off project", "You want results today, without a subscription."),
    "team": ("A team's regular work", "Several people, every week, inside the tools you use."),
    "high_volume": (
        "High volume or automated",
        "Many requests, run by your own software: needs an API and dependable uptime.",
    ),
}
BUDGETS: dict[str, tuple[str, str]] = {
    "free": ("Free only", "Free tools, free tiers and open-source tools you run yourself."),
    "monthly": ("Up to a monthly amount", "Set your ceiling below."),
    "usage": ("Pay per use is fine", "You would rather pay per image, minute or request."),
    "enterprise": ("Enterprise", "You will talk to sales for contracts and indemnity."),
}
FLAGS: dict[str, tuple[str, str]] = {
    "commercial": (
        "What it makes must be usable commercially",
        "Leaves out tools whose terms forbid it or do not say.",
    ),
    "open": (
        "Must be open source or self-hostable",
        "Open-source code, open weights, or a version you can run on your own servers.",
    ),
    "private": (
        "Must not train on our data",
        "Leaves out tools that train on what you give them, or do not say.",
    ),
}
SCRIPT_FLAG = (
    "We need a script, copy or prompts written first",
    "A language model drafts the words, then a media model turns them into the result.",
)
MAX_MONTHLY_BUDGET = 100_000

# The questions, by step, and the query-string keys each one answers.
QUESTIONS: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("What are you making?", ("project",)),
    2: ("What must come out?", ("output", "input", "script")),
    3: ("How will people work with it?", ("work",)),
    4: ("What do you already use?", ("uses",)),
    5: ("How big is the job?", ("scale",)),
    6: ("What is your budget?", ("budget", "max")),
    7: ("Rights and control", ("commercial", "open", "private")),
}
STEP_COUNT = len(QUESTIONS)
KEY_QUESTION = {key: title for title, keys in QUESTIONS.values() for key in keys}

# Stage titles for a chained pipeline, by the media output the chain ends in.
WRITER_STAGE = {
    "video": "An LLM writes the script",
    "audio": "An LLM writes the lyrics or the brief",
    "speech": "An LLM writes what will be said",
    "image": "An LLM writes the copy and the prompts",
    "3d": "An LLM writes the prompts",
}
# The use case a media stage's tools should be built for, when no project type says.
MEDIA_USE_CASE = {
    "video": "video-content",
    "audio": "music-audio",
    "speech": "voice-speech",
    "image": "art-graphics",
    "3d": "3d-assets",
}
MEDIA_STAGE = {
    "video": "A text-to-video tool renders it",
    "audio": "A music or sound generator produces it",
    "speech": "A voice tool reads it aloud",
    "image": "An image generator makes the visuals",
    "3d": "A 3D generator builds the models",
}
