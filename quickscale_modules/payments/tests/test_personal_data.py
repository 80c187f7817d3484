"""The personal data this component declares in its manifest is real: the checks of
quickscale_testing.personal_data (models, paths and fields exist; the sample hook's rows
are their user's alone; erasing as declared leaves the other user's rows as they were)."""

from __future__ import annotations

from pathlib import Path

import pytest
from quickscale_testing.personal_data import Declared

DECLARED = Declared.of(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("label", DECLARED.labels)
def test_declaration_names_real_fields(label: str) -> None:
    DECLARED.check_fields(label)


def test_component_is_declared() -> None:
    DECLARED.check_declared()


@pytest.mark.django_db
def test_sample_rows_are_their_users_and_erasure_leaves_the_other_user_alone() -> None:
    DECLARED.check_sample_and_erasure()
