// tests/unit/kernel/xfrm/netns_child.h — runs a check in a forked child
// inside a fresh network namespace, so the test process's own namespace is
// never touched and whatever the check adds dies with the namespace.
//
// The child reports failures as text through a pipe and its exit code; it
// uses no Catch2 macros (the parent asserts on what it reports).
#pragma once

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>

namespace xfrm_test {

// Checks collects failures in the child.
class Checks {
 public:
  bool check(bool ok, const std::string& what) {
    if (!ok) failures_ += what + "\n";
    return ok;
  }
  const std::string& failures() const { return failures_; }

 private:
  std::string failures_;
};

// sh runs a shell command in the child's namespace; true on exit 0.
inline bool sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

// run_in_netns forks; the child unshares its network namespace, brings lo
// up and runs body. Returns nullopt when the test cannot run here (not
// root, or unshare(CLONE_NEWNET) refused), else the failures ("" = pass).
// The child is killed after timeout_s seconds.
inline std::optional<std::string> run_in_netns(const std::function<void(Checks&)>& body,
                                               unsigned timeout_s = 60) {
  constexpr int kSkip = 77;
  if (geteuid() != 0) return std::nullopt;
  int fds[2];
  if (pipe(fds) != 0) return std::string("pipe failed");
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) return std::string("fork failed");
  if (pid == 0) {
    close(fds[0]);
    alarm(timeout_s);
    if (unshare(CLONE_NEWNET) != 0) _exit(kSkip);
    Checks c;
    if (c.check(sh("ip link set lo up"), "ip link set lo up")) body(c);
    const std::string& f = c.failures();
    std::size_t off = 0;
    while (off < f.size()) {
      ssize_t n = write(fds[1], f.data() + off, f.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    _exit(f.empty() ? 0 : 1);
  }
  close(fds[1]);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == kSkip) return std::nullopt;
  if (WIFSIGNALED(status)) out += "child killed by signal " + std::to_string(WTERMSIG(status));
  else if (WEXITSTATUS(status) != 0 && out.empty()) out = "child failed without a report";
  return out;
}

}  // namespace xfrm_test
