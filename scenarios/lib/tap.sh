# scenarios/lib/tap.sh — TAP output and process bookkeeping for scenarios.
#   check "description" command...   prints "ok N - ..." or "not ok N - ..."
#   start_bg NAME command...         runs a process in the background, remembers its pid
#   stop_all                         SIGTERM then SIGKILL every remembered pid (by pid only)
_tap_n=0
_pids=()
check() {
  local desc=$1; shift
  _tap_n=$((_tap_n + 1))
  if "$@"; then echo "ok $_tap_n - $desc"; else echo "not ok $_tap_n - $desc"; fi
}
# alive PID: running and not a zombie
alive() { local st; st=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null); [ -n "$st" ] && [ "$st" != Z ]; }
start_bg() { local name=$1; shift; "$@" & _pids+=("$!"); eval "pid_$name=$!"; }
stop_pid() {
  local pid=$1 i
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null
  for i in $(seq 50); do alive "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null; true
}
stop_all() { local p; for p in "${_pids[@]}"; do stop_pid "$p"; done; }
# wait_for SECONDS command...: poll until the command succeeds
wait_for() { local t=$1 i; shift; for i in $(seq $((t * 20))); do "$@" && return 0; sleep 0.05; done; return 1; }
