"""Writes for reader accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction


@transaction.atomic
def account_create(*, username: str, email: str, password: str) -> AbstractBaseUser:
    """A reader's account (not staff); the password is hashed by Django."""
    return get_user_model().objects.create_user(
        username=username, email=email, password=password
    )
