"""A step page's comment list comes in pages (?kommentarer=N, oldest first), with the same
queries on the first and the last page; every way back to a thread finds its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.pagination import PAGE_SIZE
from pathways.review.models import Comment
from pathways.review.threads import thread_pages
from tests.factories import UserFactory, small_program
from tests.programs.test_query_counts import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(generic_model):
    owner = UserFactory()
    program = small_program(owner=owner)
    comments = [
        Comment.objects.create(program=program, step_key="grundlag", author=owner, body=f"Nr. {n}")
        for n in range(1, PAGE_SIZE + 3)
    ]
    return program, owner, comments


def test_the_step_pages_comments_come_in_pages(client, crowded):
    program, owner, comments = crowded
    client.force_login(owner)
    url = reverse("programs:step", args=[program.code, "grundlag"])

    first = client.get(url).content.decode()
    assert f'id="comment-{comments[0].pk}"' in first
    assert f'id="comment-{comments[PAGE_SIZE].pk}"' not in first
    assert 'href="?kommentarer=2#comments-heading"' in first
    assert 'aria-label="Sider: kommentarer"' in first

    last = client.get(url, {"kommentarer": 2}).content.decode()
    assert f'id="comment-{comments[PAGE_SIZE].pk}"' in last
    assert f'id="comment-{comments[-1].pk}"' in last
    assert f'id="comment-{comments[0].pk}"' not in last

    assert count_queries(client, url) == count_queries(client, f"{url}?kommentarer=2")


def test_a_new_comment_and_a_reply_lead_to_the_page_that_shows_them(client, crowded):
    program, owner, comments = crowded
    client.force_login(owner)
    added = client.post(
        reverse("review:comment_add", args=[program.code, "grundlag"]), {"body": "Den nyeste"}
    )
    newest = Comment.objects.filter(program=program).latest("pk")
    step = reverse("programs:step", args=[program.code, "grundlag"])
    assert added["Location"] == f"{step}?kommentarer=2#comment-{newest.pk}"
    assert f'id="comment-{newest.pk}"' in client.get(added["Location"]).content.decode()

    replied = client.post(
        reverse("review:comment_reply", args=[program.code, comments[0].pk]), {"body": "Svar"}
    )
    assert replied["Location"] == f"{step}#comment-{comments[0].pk}"  # its thread, page 1

    pages = thread_pages(program)
    assert pages[comments[0].pk] == 1 and pages[newest.pk] == 2
