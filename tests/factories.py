"""Test data builders. Programs are created through the services, as users create them."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from pathways.generic_model.models import ModelVersion
from pathways.programs import services
from pathways.programs.models import Program, Region

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        if create:
            obj.save()


class ProgramFactory(factory.Factory):
    class Meta:
        model = Program

    title = factory.Sequence(lambda n: f"Forløbsprogram {n}")
    region = Region.NORDJYLLAND
    owner = factory.SubFactory(UserFactory)
    model_version = factory.LazyFunction(lambda: ModelVersion.objects.get(slug="sst-sjaeldne"))

    @classmethod
    def _create(cls, model_class, *, owner, **kwargs):
        return services.create_program(user=owner, **kwargs)
