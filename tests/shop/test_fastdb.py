"""shop.fastdb: the compiler-free statements of the hot paths give what the ORM gives, on
SQLite and on PostgreSQL (issue 4 benchmark; CONVENTIONS: hot paths)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from claims.models import Claim, Hold
from shop import fastdb
from shop.fastdb import Compiled, Select
from shop.models import Notification, Order, RuleSetting
from tests.claims.engine_helpers import World
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db


def fields_of(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_select_hydrates_like_the_orm_with_relations_cached():
    world = World()
    select = Select(Order, related=("streamer", "live_session", "product__category"))
    [(order, extra)] = select.fetch(where='t0."id" = %s', params=[world.order.pk], extra=["1 + 1"])
    orm = Order.objects.select_related("streamer", "live_session", "product__category").get(pk=world.order.pk)
    assert extra == [2]
    assert fields_of(order) == fields_of(orm)  # datetimes aware, Decimal money, booleans
    assert isinstance(order.paid_amount, Decimal) and timezone.is_aware(order.placed_at)
    with CaptureQueriesContext(connection) as queries:
        assert fields_of(order.streamer) == fields_of(orm.streamer)
        assert order.product.category.pk == orm.product.category.pk
        assert order.live_session.pk == orm.live_session.pk
    assert len(queries) == 0
    assert order._state.adding is False and order._state.db == "default"


def test_select_caches_absent_relations_as_none_and_follows_reverse_one_to_one():
    user = get_user_model().objects.create_user("no-profile", password="x-password-1")
    token = Token.objects.create(user=user)
    select = Select(Token, related=("user__profile__consumer", "user__shop_member"))
    [(got, _extra)] = select.fetch(where='t0."key" = %s', params=[token.key])
    with CaptureQueriesContext(connection) as queries:
        assert got.user.pk == user.pk
        assert getattr(got.user, "profile", None) is None
        assert getattr(got.user, "shop_member", None) is None
    assert len(queries) == 0
    consumer_user = make_user("consumer")
    token = Token.objects.create(user=consumer_user)
    [(got, _extra)] = select.fetch(where='t0."key" = %s', params=[token.key])
    with CaptureQueriesContext(connection) as queries:
        assert got.user.profile.consumer.pk == consumer_user.profile.consumer_id
        assert got.user.profile.user is got.user
    assert len(queries) == 0


def test_select_rejects_a_many_valued_relation():
    with pytest.raises(ValueError, match="not a single-valued relation"):
        Select(Order, related=("claims",)).sql(where="1 = 1")


def unsaved_claim(world: World, **over) -> Claim:
    fields = {
        "kind": "shizaibao",
        "order": world.order,
        "consumer": world.consumer,
        "shop_id": world.order.shop_id,
        "streamer": world.streamer,
        "reason": "r",
        "status": "under_review",
        "amount": Decimal("1.00"),
        "payer": "streamer",
        "filed_at": timezone.now(),
    }
    return Claim(**{**fields, **over})


def test_insert_matches_save_defaults_auto_now_and_json():
    claim = unsaved_claim(World(), amount=Decimal("12.30"), extra={"a": [1, "二"]})
    fastdb.insert(claim)
    assert claim.pk is not None and claim._state.adding is False
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.extra == {"a": [1, "二"]} and stored.return_address is None
    assert stored.merchant_at_fault is False and stored.reason_code == "" and stored.amount == Decimal("12.30")
    assert stored.updated_at is not None  # auto_now applied as save() would


def test_insert_rows_with_ignore_conflicts_drops_repeats():
    user = make_user("consumer")
    rows = [Notification(user=user, kind="k", text="t", dedupe_key="same") for _ in range(2)]
    fastdb.insert_rows(rows, ignore_conflicts=True)
    fastdb.insert_rows([Notification(user=user, kind="k", text="t", dedupe_key="same")], ignore_conflicts=True)
    assert Notification.objects.filter(user=user, dedupe_key="same").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        fastdb.insert_rows([Notification(user=user, kind="k", text="t", dedupe_key="same")])


def test_insert_select_makes_one_row_per_selected_user():
    a, b, c = (make_user("streamer") for _ in range(3))
    ids = get_user_model().objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", flat=True)
    sql, params = ids.query.get_compiler(using="default").as_sql()
    template = Notification(kind="claim_filed", text="文本", link="/x/", dedupe_key="d1")
    for _ in range(2):  # the repeat is a no-op
        fastdb.Batch().select(template, column="user", select=(sql, params), ignore_conflicts=True).run()
    got = Notification.objects.filter(dedupe_key="d1")
    assert sorted(got.values_list("user_id", flat=True)) == sorted([a.pk, b.pk])
    assert {(n.kind, n.text, n.link, n.read) for n in got} == {("claim_filed", "文本", "/x/", False)}
    assert not c.notifications.exists()


def test_compiled_runs_the_orm_query_with_new_arguments():
    s1, s2 = make_user("streamer"), make_user("streamer")
    inactive = make_user("streamer", streamer=s1.profile.streamer)
    inactive.is_active = False
    inactive.save()

    def build(streamer_id, *, shape):
        qs = get_user_model().objects.filter(profile__streamer_id=streamer_id, is_active=True)
        return qs.values_list("pk", flat=True) if shape == "ids" else qs.values_list("pk", "username")

    compiled = Compiled(build, sentinels=[-99_000_001])

    def rows(*args, shape):
        with connection.cursor() as cursor:
            cursor.execute(*compiled.sql(*args, shape=shape))
            return cursor.fetchall()

    for user in (s1, s2):
        expected = list(build(user.profile.streamer_id, shape="ids"))
        assert [r[0] for r in rows(user.profile.streamer_id, shape="ids")] == expected == [user.pk]
    assert rows(s2.profile.streamer_id, shape="pairs") == [(s2.pk, s2.username)]


def test_batch_writes_every_statement_at_once_and_fails_as_one():
    """On PostgreSQL one WITH statement; elsewhere one after another (same outcome)."""
    world = World()
    user = world.streamer_user
    claim = unsaved_claim(world)
    drawn = fastdb.next_id_sql(Claim)
    if drawn is None:
        fastdb.insert(claim)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {drawn[0]}", drawn[1])
            claim.pk = cursor.fetchone()[0]
    audience = get_user_model().objects.filter(pk=user.pk).values_list("pk", flat=True)
    sql, params = audience.query.get_compiler(using="default").as_sql()
    batch = fastdb.Batch()
    if claim._state.adding:
        batch.rows([claim])
    batch.rows([Notification(user=user, kind="k", text=str(n), dedupe_key=f"b{n}") for n in range(2)])
    batch.select(Notification(kind="k2", text="t", dedupe_key="b-sel"), column="user", select=(sql, params))
    with transaction.atomic():
        batch.run()
    assert claim._state.adding is False and Claim.objects.filter(pk=claim.pk).exists()
    assert sorted(user.notifications.values_list("dedupe_key", flat=True)) == ["b-sel", "b0", "b1"]
    again = fastdb.Batch().rows([Notification(user=user, kind="k", text="x", dedupe_key="b9")])
    again.rows([Notification(user=user, kind="k", text="x", dedupe_key="b0")])  # conflicts
    with pytest.raises(IntegrityError), transaction.atomic():
        again.run()
    assert not user.notifications.filter(dedupe_key="b9").exists()  # all or nothing


def test_next_id_sql_draws_from_the_sequence_on_postgresql_only():
    got = fastdb.next_id_sql(Hold)
    if connection.vendor != "postgresql":
        assert got is None
        return
    sql, params = got
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}, {sql}", params * 2)
        first, second = cursor.fetchone()
    assert second == first + 1


# -- token authentication (shop.auth) ---------------------------------------------------------


def test_token_auth_is_one_query_and_resolves_the_acting_party(client_for):
    world = World()
    client = client_for(world.consumer_user)
    with CaptureQueriesContext(connection) as queries:
        r = client.get("/api/v1/notifications")
    assert r.status_code == 200
    auth = [q for q in queries.captured_queries if "authtoken_token" in q["sql"]]
    assert len(auth) == 1
    assert not [q for q in queries.captured_queries if '"shop_profile"."id"' in q["sql"]]  # no lazy profile


def test_token_auth_refuses_unknown_tokens_and_inactive_users(api_client):
    user = make_user("consumer")
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api_client.get("/api/v1/notifications").status_code == 401
    user.is_active = False
    user.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get("/api/v1/notifications").status_code == 401


# -- rule settings: the per-process copy (shop.rules) ------------------------------------------


def test_rule_setting_local_copy_is_reused_copied_and_invalidated(settings, django_assert_num_queries):
    from django.core.cache import cache

    from shop import rules

    settings.RULE_SETTINGS_LOCAL_SECONDS = 60
    rules._LOCAL.clear()
    cache.clear()
    key = "claims.szb.compensable_types"
    first = rules.setting(key)
    cache.clear()  # the shared copy is gone: the process's own copy still answers, no query
    with django_assert_num_queries(0):
        again = rules.setting(key)
    assert again == first
    again.append("mutated")  # a caller changing its list does not change the next answer
    assert "mutated" not in rules.setting(key)
    RuleSetting.objects.create(key=key, value=["price"])
    rules.invalidate(key)  # what admin does on save: this process sees it at once
    assert rules.setting(key) == ["price"]
    rules.invalidate(key)


# -- input validation with shallow field copies (shop.api_common.ShallowFieldsMixin) ----------


def test_shallow_field_copies_validate_like_deep_ones_across_threads():
    """ClaimIn shares its declared fields' validators between instances; results and errors must
    not leak from one request to another, also when threads validate at the same time."""
    from concurrent.futures import ThreadPoolExecutor

    from rest_framework import serializers

    from claims.serializers import ClaimIn, EvidenceItemField

    class DeepClaimIn(serializers.Serializer):
        order = serializers.CharField(max_length=64)
        kind = serializers.ChoiceField(choices=ClaimIn._declared_fields["kind"].choices)
        type = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
        reason = serializers.CharField(max_length=5000)
        evidence = serializers.ListField(child=EvidenceItemField(), required=False, default=list, max_length=50)

    bodies = [
        {"order": "A1", "kind": "shizaibao", "type": "material", "reason": "r", "evidence": [1, {"upload": 2}]},
        {"order": "x" * 65, "kind": "nope", "reason": "", "evidence": [True]},
        {"kind": "shizaibao", "reason": "r", "evidence": list(range(51))},
        {"order": "B2", "kind": "damage", "reason": "r"},
    ]

    def outcome(cls, body):
        s = cls(data=body)
        return (True, dict(s.validated_data)) if s.is_valid() else (False, s.errors)

    expected = [outcome(DeepClaimIn, b) for b in bodies]
    assert [ok for ok, _ in expected] == [True, False, False, True]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda i: outcome(ClaimIn, bodies[i % 4]), range(400)))
    assert got == [expected[i % 4] for i in range(400)]
