"""In a real browser: the registration form sent three times at once (three clicks on
"Đăng ký và gửi" over a slow line) makes one registration."""
import pytest

from tests.browser import fill_registration

pytestmark = pytest.mark.browser

TITLE = "Khéo vận động hội viên nông dân góp vốn xoay vòng nuôi bò"


def test_three_clicks_on_a_slow_line_make_one_registration(page_as, live_app):
    clerk = page_as("dinhhoa.vanthu")
    fill_registration(clerk, live_app, "Hội Nông dân xã Định Hòa", TITLE,
                      [("Số hộ được hỗ trợ", "0", "12", "hộ")])
    # Three sends of the same form at once, as three clicks on a slow line make them: the
    # browser posts the form the page holds (its one-time token included) three times.
    statuses = clerk.evaluate("""async () => {
        const form = document.getElementById("register-form");
        const send = () => { const data = new FormData(form); data.append("submit", "1");
                             return fetch(form.action || location.href,
                                          {method: "POST", body: data}); };
        const answers = await Promise.all([send(), send(), send()]);
        return answers.map(r => [r.status, new URL(r.url).pathname]);
    }""")
    assert [s for s, _ in statuses] == [200, 200, 200]
    assert len({path for _, path in statuses}) == 1 and "/mo-hinh/ho-so/" in statuses[0][1]
    # the list, searched by the title, holds the model once
    clerk.goto(live_app + "/mo-hinh/?q=gop+von+xoay+vong+nuoi+bo")
    assert clerk.locator(f"main tr:has-text('{TITLE}')").count() == 1
