import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
pytestmark = pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/don-vi/KG-GQ/", "/don-vi/KG/", "/giai-doan/", "/giai-doan/2016-2020/", "/giai-doan/ban-chi-dao/", "/don-vi/?q=hoi"])
def test_count(client_as, url):
    c = client_as("tinh.thuky"); c.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    print(url, len(ctx.captured_queries))
    for q in ctx.captured_queries: print("   ", q["sql"][:150])
