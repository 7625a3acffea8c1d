"""Search: the portable contract everywhere, full-text ranking and typos on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import F, Q, Value
from django.urls import reverse

from catalog.models import Tool
from catalog.search import search_ids, search_tools, suggest_spelling
from catalog.search_index import refresh_search_vectors
from tests.factories import AIModelFactory, ToolFactory, UseCaseFactory, VendorFactory
from tests.pages import card_names

pytestmark = pytest.mark.django_db

postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def ranked(query: str) -> list[str]:
    tools = search_tools(Tool.objects.published(), query).order_by("-relevance", "name")
    return [t.name for t in tools]


@pytest.fixture
def catalogue():
    openai = VendorFactory(name="OpenAI")
    return {
        "chatgpt": ToolFactory(
            name="ChatGPT",
            vendor=openai,
            pitch="A general assistant you chat with.",
            description="Writes, summarises and answers questions.",
        ),
        "midjourney": ToolFactory(
            name="Midjourney",
            pitch="Striking images from a text prompt.",
            description="Runs in Discord and on the web.",
        ),
        "firefly": ToolFactory(
            name="Adobe Firefly",
            pitch="Image generation trained on licensed stock.",
            description="Made by Adobe; works inside Photoshop.",
        ),
        "canva": ToolFactory(
            name="Canva Magic Studio",
            pitch="Design tools with generation built in.",
            description="Includes an image generator like Midjourney for quick drafts.",
        ),
        "suno": ToolFactory(
            name="Suno",
            pitch="Songs with vocals from a short description.",
            description="Music generation for hobbyists.",
        ),
    }


class TestEverywhere:
    def test_it_finds_a_tool_by_name(self, catalogue):
        assert ranked("midjourney")[0] == "Midjourney"

    def test_it_annotates_relevance_on_every_result(self, catalogue):
        tools = search_tools(Tool.objects.all(), "image")
        assert tools
        assert all(t.relevance is not None for t in tools)

    def test_it_searches_the_vendor_name(self, catalogue):
        assert "ChatGPT" in ranked("openai")

    def test_it_combines_with_other_filters(self, catalogue):
        tools = search_tools(Tool.objects.filter(name__startswith="Canva"), "image")
        assert [t.name for t in tools] == ["Canva Magic Studio"]

    def test_it_leaves_drafts_out_when_the_caller_does(self, catalogue):
        ToolFactory(name="Midjourney Beta", status=Tool.Status.DRAFT)
        assert "Midjourney Beta" not in ranked("midjourney")

    def test_it_suggests_the_closest_tool_name(self, catalogue):
        assert suggest_spelling("midjorney") == "Midjourney"

    def test_it_suggests_nothing_for_an_exact_name_or_noise(self, catalogue):
        assert suggest_spelling("Midjourney") is None
        assert suggest_spelling("zzzzqqqq") is None
        assert suggest_spelling("--") is None

    @pytest.mark.parametrize(
        "query",
        [
            "-",
            '"',
            "or or -",
            '"unbalanced quote',
            "image -",
            "!!! & | :* <-> ()",
            "x" * 10_000,
            "midjourney " * 1000,
            "\\",
            "'; drop table catalog_tool; --",
        ],
    )
    def test_bad_strings_never_fail_the_catalogue_page(self, client, catalogue, query):
        response = client.get(reverse("catalog:tool_list"), {"q": query})
        assert response.status_code == 200

    def test_it_finds_a_tool_by_its_use_case_and_its_ai_model(self, catalogue):
        catalogue["suno"].use_cases.add(UseCaseFactory(name="Podcasting"))
        catalogue["suno"].ai_models.add(AIModelFactory(name="Bark"))
        assert ranked("podcasting") == ["Suno"]
        assert ranked("bark") == ["Suno"]

    def test_search_ids_finds_every_match_and_ranks_at_most_top(self, catalogue):
        for n in range(12):
            ToolFactory(name=f"Helper {n}", pitch="An assistant for busy people.")
        ToolFactory(name="Assistant Prime", pitch="Organises your week.")
        ids, best = search_ids(Tool.objects.published(), "assistant", top=5)
        assert set(ids) == set(
            Tool.objects.filter(Q(name__icontains="assistant") | Q(pitch__icontains="assistant"))
            .published()
            .values_list("pk", flat=True)
        )
        assert len(ids) == 14  # twelve helpers, Assistant Prime and ChatGPT's pitch
        assert 1 <= len(best) <= 5
        assert set(best) <= set(ids)
        assert Tool.objects.get(pk=best[0]).name == "Assistant Prime"

    def test_a_very_common_term_keeps_exact_counts_and_pages(self, client, catalogue, monkeypatch):
        """Past the ranking bound, the count and the pages still cover every match once."""
        monkeypatch.setattr("catalog.browse.RANKED", 3)
        for n in range(28):
            ToolFactory(name=f"Helper {n:02}", pitch="An assistant for busy people.")
        ToolFactory(name="Assistant Prime", pitch="Organises your week.")
        expected = set(ranked("assistant"))
        assert len(expected) == 30
        url = reverse("catalog:tool_list")
        response = client.get(url, {"q": "assistant"})
        paginator = response.context["page_obj"].paginator
        assert paginator.count == 30 and paginator.num_pages > 1
        seen = card_names(response)
        for page in range(2, paginator.num_pages + 1):
            response = client.get(url, {"q": "assistant", "page": page})
            seen += card_names(response)
        assert seen[0] == "Assistant Prime"
        assert len(seen) == 30 and set(seen) == expected

    def test_bad_strings_never_fail_the_function(self, catalogue):
        for query in ['"', "-", "x" * 10_000, "a\x00b", "or", "(("]:
            list(search_tools(Tool.objects.all(), query))
            suggest_spelling(query)

    def test_a_nul_byte_in_the_address_is_refused_not_failed(self, client, catalogue):
        response = client.get(reverse("catalog:tool_list"), {"q": "mid\x00journey"})
        assert response.status_code == 400

    def test_the_search_page_has_a_constant_query_budget(
        self, client, catalogue, django_assert_max_num_queries
    ):
        url = reverse("catalog:tool_list")
        with django_assert_max_num_queries(30) as few:
            client.get(url, {"q": "image"})
        for n in range(35):
            ToolFactory(name=f"Image maker {n}", pitch="Makes an image.")
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url, {"q": "image"})
        assert response.status_code == 200


@pytest.mark.usefixtures("catalogue")
class TestPostgres:
    pytestmark = postgres_only

    def test_an_exact_name_beats_a_description_mention(self):
        names = ranked("midjourney")
        assert names.index("Midjourney") < names.index("Canva Magic Studio")

    def test_the_name_outranks_the_pitch(self):
        ToolFactory(name="Image Studio", pitch="Edits photos.")
        names = ranked("image studio")
        assert names[0] == "Image Studio"

    def test_a_typo_finds_the_intended_tool(self):
        assert ranked("midjorney")[0] == "Midjourney"
        assert ranked("chat gtp")[0] == "ChatGPT"
        assert "Adobe Firefly" in ranked("firefy")

    def test_stemming_matches_other_word_forms(self):
        assert "Suno" in ranked("song")

    def test_the_last_word_matches_as_a_prefix(self):
        assert ranked("midj")[0] == "Midjourney"
        assert "Suno" in ranked("music gener")

    def test_quoted_phrases_match_words_in_order(self):
        assert ranked('"licensed stock"') == ["Adobe Firefly"]
        assert ranked('"stock licensed"') == []

    def test_a_minus_excludes_a_word(self):
        names = ranked("image -photoshop")
        assert "Adobe Firefly" not in names
        assert "Midjourney" in names

    def test_or_widens_the_search(self):
        assert set(ranked("songs or discord")) >= {"Suno", "Midjourney"}

    def test_search_ids_agrees_with_search_tools(self):
        ids, best = search_ids(Tool.objects.published(), "image", top=100)
        assert set(ids) == {t.pk for t in search_tools(Tool.objects.published(), "image")}
        assert [Tool.objects.get(pk=pk).name for pk in best] == ranked("image")

    def test_use_cases_and_models_are_searchable(self):
        tool = Tool.objects.get(name="Suno")
        tool.use_cases.add(UseCaseFactory(name="Podcasting"))
        tool.ai_models.add(AIModelFactory(name="Bark"))
        assert "Suno" in ranked("podcasting")
        assert "Suno" in ranked("bark")

    def test_did_you_mean_uses_trigrams(self):
        assert suggest_spelling("chat gtp") == "ChatGPT"

    def test_the_stored_document_is_indexed(self):
        from django.contrib.postgres.search import SearchQuery

        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = Tool.objects.filter(
                search_vector=SearchQuery("image", config="english")
            ).explain()
        assert "tool_search_vector_gin" in plan

    def test_the_trigram_index_serves_typo_matching(self):
        from django.contrib.postgres.lookups import TrigramSimilar

        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = Tool.objects.filter(TrigramSimilar(F("name"), Value("midjorney"))).explain()
        assert "tool_name_trgm_gin" in plan


def test_a_misspelt_search_finds_or_suggests_the_tool(client, catalogue):
    response = client.get(reverse("catalog:tool_list"), {"q": "midjorneyy"})
    if connection.vendor == "postgresql":
        assert card_names(response) == ["Midjourney"]
    else:
        assert "Did you mean" in response.content.decode()
        assert "?q=Midjourney" in response.content.decode()


@pytest.mark.usefixtures("catalogue")
class TestStoredDocument:
    """The search document follows every change to what it is made of (PostgreSQL)."""

    pytestmark = postgres_only

    def finds(self, query: str) -> set[str]:
        return set(ranked(query))

    def test_a_new_tool_is_searchable_at_once(self):
        ToolFactory(name="Quillwright", pitch="Drafts sonnets.")
        assert Tool.objects.filter(name="Quillwright", search_vector__isnull=False).exists()
        assert "Quillwright" in self.finds("sonnets")

    def test_renaming_a_tool_refreshes_it(self):
        tool = Tool.objects.get(name="Suno")
        tool.name = "Cadenza"
        tool.save()
        assert "Cadenza" in self.finds("cadenza")
        tool.description = "Now also writes limericks."
        tool.save(update_fields=["description"])
        assert "Cadenza" in self.finds("limericks")

    def test_the_vendor_name_follows_renames_and_moves(self):
        vendor = VendorFactory(name="Zephyrsoft")
        tool = Tool.objects.get(name="Suno")
        tool.vendor = vendor
        tool.save()
        assert "Suno" in self.finds("zephyrsoft")
        vendor.name = "Borealis"
        vendor.save()
        assert "Suno" in self.finds("borealis")
        assert "Suno" not in self.finds("zephyrsoft")

    def test_use_cases_follow_every_kind_of_change(self):
        tool = Tool.objects.get(name="Suno")
        karaoke = UseCaseFactory(name="Karaoke")
        tool.use_cases.add(karaoke)
        assert "Suno" in self.finds("karaoke")
        tool.use_cases.remove(karaoke)
        assert "Suno" not in self.finds("karaoke")
        karaoke.tools.add(tool)  # from the other side
        assert "Suno" in self.finds("karaoke")
        karaoke.name = "Jingles"
        karaoke.save()
        assert "Suno" in self.finds("jingles")
        assert "Suno" not in self.finds("karaoke")
        karaoke.tools.clear()
        assert "Suno" not in self.finds("jingles")
        tool.use_cases.add(karaoke)
        karaoke.delete()
        assert "Suno" not in self.finds("jingles")

    def test_ai_models_follow_renames(self):
        tool = Tool.objects.get(name="Suno")
        model = AIModelFactory(name="Chirp")
        tool.ai_models.set([model])
        assert "Suno" in self.finds("chirp")
        model.name = "Warble"
        model.save()
        assert "Suno" in self.finds("warble")

    def test_a_reverted_tool_is_found_by_its_old_name(self):
        import reversion
        from reversion.models import Version

        with reversion.create_revision():
            # The stored version holds the document the instance had: none yet.
            tool = ToolFactory(name="Quillwright", pitch="Drafts sonnets.")
        tool.pitch = "Writes limericks."
        tool.save()
        Version.objects.get_for_object(tool).last().revert()  # a raw save
        assert "Quillwright" in self.finds("sonnets")
        assert "Quillwright" not in self.finds("limericks")

    def test_a_full_refresh_rebuilds_what_raw_writes_left_empty(self):
        Tool.objects.update(search_vector=None)
        assert "Suno" not in self.finds("songs")
        assert refresh_search_vectors() == Tool.objects.count()
        assert "Suno" in self.finds("songs")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_demo_catalogue_loads_searchable(db):
    from django.core.management import call_command

    call_command("load_demo_catalogue", verbosity=0)
    assert not Tool.objects.filter(search_vector__isnull=True).exists()
    assert ranked("midjourney")[0] == "Midjourney"
