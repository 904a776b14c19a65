"""Commands against a real installation (ECONSEC_DATA_DIR), for tests.web.realstore.

    python -m tests.web.storectl migrate
    python -m tests.web.storectl enqueue KIND [--upload PATH] [--param KEY=VALUE ...]
    python -m tests.web.storectl state JOB_ID
    python -m tests.web.storectl user NAME ROLE PASSWORD
    python -m tests.web.storectl token USER_NAME
    python -m tests.web.storectl worker [econsec worker options]

Each prints one line of JSON (except ``worker``, which is ``econsec worker`` with the test job
kinds registered).
"""

from __future__ import annotations

import argparse
import json
import sys

from tests.web import testkinds


def main(argv: list[str]) -> None:
    testkinds.register()
    if argv[:1] == ["worker"]:
        from econsec.cli import app

        app(args=argv, prog_name="econsec")
        return
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate")
    enqueue = sub.add_parser("enqueue")
    enqueue.add_argument("kind")
    enqueue.add_argument("--upload", default="")
    enqueue.add_argument("--param", action="append", default=[])
    state = sub.add_parser("state")
    state.add_argument("job_id", type=int)
    user = sub.add_parser("user")
    user.add_argument("name")
    user.add_argument("role")
    user.add_argument("password")
    token = sub.add_parser("token")
    token.add_argument("name")
    args = parser.parse_args(argv)

    from econsec.store import open_store

    open_store()
    if args.command == "migrate":
        print(json.dumps({}))
    elif args.command == "enqueue":
        from econsec.web import jobs

        params = dict(p.split("=", 1) for p in args.param)
        job = jobs.enqueue(args.kind, params=params, upload=args.upload or None)
        print(json.dumps({"id": job.pk}))
    elif args.command == "state":
        from econsec.web.models import Job
        from econsec.web.views.jobs import job_state

        print(json.dumps(job_state(Job.objects.get(pk=args.job_id), "en")))
    elif args.command == "user":
        from django.contrib.auth.models import Group, User

        made = User.objects.create_user(args.name, password=args.password)
        made.groups.add(Group.objects.get(name=args.role))
        print(json.dumps({"id": made.pk}))
    elif args.command == "token":
        from django.contrib.auth.models import User

        from econsec.web.models import ApiToken

        _, raw = ApiToken.issue(User.objects.get(username=args.name), "test")
        print(json.dumps({"token": raw}))


if __name__ == "__main__":
    main(sys.argv[1:])
