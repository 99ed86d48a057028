# Test cases of python.yml, checked by `semgrep --test` (test/real/semgrep-rules.test.ts).
import os
import pickle
import subprocess

import requests
import yaml


def cases(user, cur, app, data):
    # ruleid: python-eval-exec
    eval(user)
    # ok: python-eval-exec
    eval("1 + 1")
    # ruleid: python-subprocess-shell-true
    subprocess.run(user, shell=True)
    # ok: python-subprocess-shell-true
    subprocess.run(["ls", user])
    # ruleid: python-subprocess-shell-true
    os.system(user)
    # ruleid: python-sql-string-built
    cur.execute("SELECT * FROM t WHERE id = %s" % user)
    # ruleid: python-sql-string-built
    cur.execute(f"SELECT * FROM t WHERE id = {user}")
    # ok: python-sql-string-built
    cur.execute("SELECT * FROM t WHERE id = %s", (user,))
    # ruleid: python-unsafe-deserialisation
    pickle.loads(data)
    # ruleid: python-unsafe-deserialisation
    yaml.load(data)
    # ok: python-unsafe-deserialisation
    yaml.load(data, Loader=yaml.SafeLoader)
    # ruleid: python-tls-verification-off
    requests.get(user, verify=False)
    # ok: python-tls-verification-off
    requests.get(user)
    # ruleid: python-flask-debug
    app.run(debug=True)
