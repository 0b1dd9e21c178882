"""The production settings with the bench's reference pages added to the URLs."""

from tuijin.settings import *  # noqa: F403 (the settings as deployed, nothing else changed)

ROOT_URLCONF = "benchsite.urls"
