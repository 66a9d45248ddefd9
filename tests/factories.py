import factory
from django.contrib.auth import get_user_model

from techniques.models import GuideCitation, SafetyTip, Source, Status, Step, Technique, TipKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"A study of upper-back mobility, part {n}")
    authors = "Doe J, Roe R"
    publisher = "Journal of Test Data"
    year = 2020
    url = factory.Sequence(lambda n: f"https://example.org/paper/{n}")
    kind = "study"


class TechniqueFactory(factory.django.DjangoModelFactory):
    """A published guide; `steps=N` gives it N steps and `sources=N` N citations."""

    class Meta:
        model = Technique
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Guide {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "A gentle movement for a stiff upper back."
    intro = "Move **slowly** and stay comfortable."
    feel = "A gentle stretch between the shoulder blades."
    mistakes = "- Rushing"
    position = "seated"
    difficulty = "gentle"
    minutes = 5
    status = Status.PUBLISHED

    @factory.post_generation
    def steps(guide, create, count, **kwargs):
        for order in range(1, (count if count is not None else 3) + 1):
            StepFactory(technique=guide, order=order)

    @factory.post_generation
    def sources(guide, create, count, **kwargs):
        for order in range(1, (count if count is not None else 1) + 1):
            GuideCitation.objects.create(technique=guide, source=SourceFactory(), order=order)

    @factory.post_generation
    def tips(guide, create, count, **kwargs):
        SafetyTip.objects.create(technique=guide, kind=TipKind.DO, text="Move slowly.")
        SafetyTip.objects.create(technique=guide, kind=TipKind.DONT, text="Force the movement.")
        SafetyTip.objects.create(
            technique=guide, kind=TipKind.RED_FLAG, urgency="stop", text="Stop if you feel sharp pain."
        )


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    technique = factory.SubFactory(TechniqueFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step title {n}")
    instruction = "Sit tall and turn *gently*."
    hold_seconds = 10
    reps = 3
    sides = "each"
    breathing = "Breathe out as you turn."
    image_alt = "Side view of a person sitting upright on a chair, turning to the left."
