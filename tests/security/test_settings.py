"""Settings that work anywhere: any DATABASE_URL, no SECRET_KEY/DEBUG needed, DEBUG never
implied by the database, and the README's production environment passes `check --deploy`.

Each command runs in a subprocess, as users run it, with its own var directory under tmp.
"""
import os
import re
import secrets
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DVK = os.path.join(os.path.dirname(sys.executable), "dvk")
# What a user's shell may carry over and this test must control.
CONTROLLED = ("DATABASE_URL", "SECRET_KEY", "DEBUG", "DVK_VAR_DIR", "MEDIA_ROOT", "HTTPS",
              "HSTS_SECONDS", "SECURE_COOKIES", "TRUST_X_FORWARDED_PROTO", "ALLOWED_HOSTS",
              "CSRF_TRUSTED_ORIGINS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE",
              "CACHE_URL", "REDIS_URL", "DVK_PROXY_COUNT", "DVK_API_RATE", "DVK_LOGIN_RATE",
              "AXES_FAILURE_LIMIT", "AXES_IP_FAILURE_LIMIT", "AXES_COOLOFF_HOURS")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(extra)
    return env


def dvk(*args, env):
    return subprocess.run([DVK, *args], env=env, capture_output=True, text=True, timeout=180)


def show(code, env):
    """stdout of `dvk shell -c CODE`, split into words."""
    r = dvk("shell", "--no-imports", "-c", code, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


SHOW = ("from django.conf import settings; "
        "print(settings.DEBUG, settings.SECRET_KEY, settings.DATABASES['default']['NAME'])")


def test_dvk_command_runs_with_another_database_and_no_secret_or_debug(tmp_path):
    db = tmp_path / "other.sqlite3"
    var = tmp_path / "var"
    env = clean_env(DATABASE_URL=f"sqlite:///{db}", DVK_VAR_DIR=str(var))

    r = dvk("check", "--database", "default", env=env)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr

    debug, key, name = show(SHOW, env)
    assert debug == "False"  # another database does not turn DEBUG on, nor off
    assert name == str(db)
    # The generated key is kept, private, long enough for Django's deploy check...
    key_file = var / "secret_key"
    assert key_file.read_text().strip() == key and len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # ...and the next command signs with the same one.
    assert show(SHOW, env)[1] == key


def test_debug_is_off_on_the_default_database_too_and_on_when_asked(tmp_path):
    env = clean_env(DVK_VAR_DIR=str(tmp_path / "var"))
    assert show(SHOW, env)[0] == "False"
    env["DEBUG"] = "1"
    assert show(SHOW, env)[0] == "True"


def test_a_given_secret_key_wins_and_nothing_is_written(tmp_path):
    env = clean_env(DVK_VAR_DIR=str(tmp_path / "var"), SECRET_KEY="k" * 60,
                    DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert show(SHOW, env)[1] == "k" * 60
    assert not (tmp_path / "var" / "secret_key").exists()


def readme_production_env():
    """The `export` lines of the README's deployment section, as a dict."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    env = {}
    for line in re.findall(r"^export (.+)$", section, re.M):
        for word in shlex.split(line, comments=True):
            name, _, value = word.partition("=")
            env[name] = value
    return env


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    documented = readme_production_env()
    assert {"HTTPS", "SECRET_KEY", "ALLOWED_HOSTS"} <= documented.keys()
    env = clean_env(**documented)
    # Placeholders of the README get real values; the database is not contacted by the check.
    env.update(SECRET_KEY=secrets.token_urlsafe(50), DVK_VAR_DIR=str(tmp_path / "var"),
               MEDIA_ROOT=str(tmp_path / "media"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    r = dvk("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout

    shown = show("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT,"
                 " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG,"
                 " s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], s.DVK_PROXY_COUNT,"
                 " s.DVK_API_RATE, s.DVK_LOGIN_RATE)", env)
    # ...and its app servers share one cache for the rate limits, reading the client's
    # address through the proxy.
    assert shown == ["True", "31536000", "True", "True", "False", "RedisCache", "1", "120/m",
                     "20/m"]


def test_check_deploy_warns_without_the_production_settings(tmp_path):
    env = clean_env(DVK_VAR_DIR=str(tmp_path / "var"),
                    DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    r = dvk("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert r.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in r.stderr + r.stdout


@pytest.mark.parametrize("addr, url", [("127.0.0.1:8123", "http://127.0.0.1:8123/"),
                                       ("0.0.0.0:8080", "http://127.0.0.1:8080/"),
                                       ("[::]:9000", "http://[::1]:9000/"),
                                       ("8001", "http://127.0.0.1:8001/")])
def test_demo_logins_prints_the_address_served(addr, url):
    from dvk.demo.management.commands.demo_logins import browser_url

    assert browser_url(addr) == url


def test_make_run_prints_and_serves_the_same_address_with_debug_only_for_the_server():
    r = subprocess.run(["make", "-n", "run", "HOST=0.0.0.0", "PORT=8123"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    lines = r.stdout.splitlines()
    assert any(re.search(r"dvk demo_logins --addr 0\.0\.0\.0:8123$", ln) for ln in lines), r.stdout
    assert any(re.search(r"DEBUG=1 \S*dvk runserver 0\.0\.0\.0:8123$", ln) for ln in lines)
    assert not any("DEBUG=1" in ln for ln in lines if "runserver" not in ln)
