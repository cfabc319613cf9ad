#!/usr/bin/env bash
# Every REST call of the PyREPL3 API with curl, in the order a script would use them.
#
#   npx pyrepl serve &        # in another terminal (or the desktop app)
#   bash examples/curl.sh     # from the repository root
#
# The URL and token come from the running server's runtime file, via `npx pyrepl info --json` (PYREPL_STATE_DIR is
# honoured, as by the server). JSON is picked apart with node, which is there wherever npx is.
set -euo pipefail

info=$(npx --no-install pyrepl info --json)
# field EXPR: evaluates EXPR (with `j` the JSON read from stdin) in node and prints it.
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);console.log(eval(process.argv[1]))})' "$1"; }
URL=$(field 'j[0].url' <<<"$info")
TOKEN=$(field 'j[0].token' <<<"$info")

AUTH="Authorization: Bearer $TOKEN"
JSON="Content-Type: application/json"   # the server refuses request bodies that are not JSON (415)
if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B='' N=''; fi   # bold headings on a terminal only
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }

say "GET /health (public: no token needed)"
curl -fsS "$URL/health"; echo

say "POST /sessions: a warm session from the pool"
session=$(curl -fsS -X POST -H "$AUTH" "$URL/sessions")
echo "$session"
SID=$(field 'j.session_id' <<<"$session")

say "GET /sessions and GET /sessions/{id}"
curl -fsS -H "$AUTH" "$URL/sessions"; echo
curl -fsS -H "$AUTH" "$URL/sessions/$SID"; echo

say "POST /sessions/{id}/execute: waits for the result; stdin lines answer input() in order"
curl -fsS -X POST -H "$AUTH" -H "$JSON" "$URL/sessions/$SID/execute" \
  -d '{"code": "name = input(\"name? \")\nprint(\"hello\", name)\nlen(name)", "stdin": ["Ada"]}'; echo

say "POST /sessions/{id}/jobs: an async job; its input() waits for an answer"
job=$(curl -fsS -X POST -H "$AUTH" -H "$JSON" "$URL/sessions/$SID/jobs" -d '{"code": "x = input(\"x? \")\nprint(x * 2)"}')
echo "$job"
JOB=$(field 'j.job_id' <<<"$job")

say "GET /jobs/{id} until it asks for input, then POST /jobs/{id}/input with the request's token"
for _ in $(seq 100); do
  state=$(curl -fsS -H "$AUTH" "$URL/jobs/$JOB")
  [ "$(field 'j.state' <<<"$state")" = waiting_input ] && break
  sleep 0.05
done
echo "$state"
INPUT_TOKEN=$(field 'j.pending_input.token' <<<"$state")
curl -fsS -X POST -H "$AUTH" -H "$JSON" "$URL/jobs/$JOB/input" -d "{\"token\": \"$INPUT_TOKEN\", \"data\": \"ab\"}"; echo
for _ in $(seq 100); do
  state=$(curl -fsS -H "$AUTH" "$URL/jobs/$JOB")
  [ "$(field 'j.state' <<<"$state")" = finished ] && break
  sleep 0.05
done
echo "stdout of the job: $(field 'JSON.stringify(j.response.stdout)' <<<"$state")"

say "POST /sessions/{id}/execute with \"async\": true is the same as /jobs (202 at once)"
job=$(curl -fsS -X POST -H "$AUTH" -H "$JSON" "$URL/sessions/$SID/execute" -d '{"code": "print(input())", "async": true}')
echo "$job"

say "POST /sessions/{id}/input: answer the session's pending request, whoever started the execution"
for _ in $(seq 100); do
  summary=$(curl -fsS -H "$AUTH" "$URL/sessions/$SID")
  [ "$(field 'j.pending_input !== null' <<<"$summary")" = true ] && break
  sleep 0.05
done
INPUT_TOKEN=$(field 'j.pending_input.token' <<<"$summary")
curl -fsS -X POST -H "$AUTH" -H "$JSON" "$URL/sessions/$SID/input" -d "{\"token\": \"$INPUT_TOKEN\", \"data\": \"answered\"}"; echo

say "POST /sessions/{id}/complete, /is_complete and GET /namespace"
curl -fsS -X POST -H "$AUTH" -H "$JSON" "$URL/sessions/$SID/complete" -d '{"code": "pri", "cursor": 3}'; echo
curl -fsS -X POST -H "$AUTH" -H "$JSON" "$URL/sessions/$SID/is_complete" -d '{"code": "def f():"}'; echo
curl -fsS -H "$AUTH" "$URL/sessions/$SID/namespace"; echo

say "POST /sessions/{id}/interrupt (false: nothing is running now) and /restart (empty namespace, same id)"
curl -fsS -X POST -H "$AUTH" "$URL/sessions/$SID/interrupt"; echo
curl -fsS -X POST -H "$AUTH" "$URL/sessions/$SID/restart"; echo

say "DELETE /sessions/{id}, then the same again: an error body with a code (no -f, to show it)"
curl -fsS -X DELETE -H "$AUTH" "$URL/sessions/$SID"; echo
curl -sS -w '  (HTTP %{http_code})' -X DELETE -H "$AUTH" "$URL/sessions/$SID"; echo

say "POST /execute: one-shot, in a fresh session destroyed afterwards"
curl -fsS -X POST -H "$AUTH" -H "$JSON" "$URL/execute" -d '{"code": "import sys\nsys.version_info[:2]"}'; echo

say "POST /auth: the token for an HttpOnly cookie (for browsers); then the cookie instead of the header"
jar=$(mktemp)
curl -fsS -c "$jar" -X POST -H "$JSON" "$URL/auth" -d "{\"token\": \"$TOKEN\"}"; echo
curl -fsS -b "$jar" "$URL/sessions" >/dev/null && echo "GET /sessions with the cookie: ok"
rm -f "$jar"

say "GET /metrics (Prometheus text), /openapi.json and /ws-schema.json (public)"
metrics=$(curl -fsS -H "$AUTH" "$URL/metrics")   # read it all first: grep -m stops early, which curl reports
grep -m 3 '^pyrepl_' <<<"$metrics" || true
curl -fsS "$URL/openapi.json" | field 'Object.keys(j.paths).join(" ")'
curl -fsS "$URL/ws-schema.json" | field 'j.title'
