#include "daemon/config/loader.h"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "daemon/config/expand.h"

namespace kagid::config {
namespace {

// GlobResult owns a glob_t (RAII over globfree).
struct GlobResult {
  glob_t g{};
  int rc = GLOB_NOMATCH;
  explicit GlobResult(const std::string& pattern) { rc = ::glob(pattern.c_str(), GLOB_TILDE, nullptr, &g); }
  ~GlobResult() {
    if (rc == 0) globfree(&g);
  }
  GlobResult(const GlobResult&) = delete;
  GlobResult& operator=(const GlobResult&) = delete;
};

bool has_glob_meta(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string canonical(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return path;
  return buf;
}

// read_whole reads a regular file of at most kMaxFileSize bytes.
core::Result<std::string> read_whole(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return core::fail(core::ErrorCode::NotFound, "cannot open '{}': {}", path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return core::fail(core::ErrorCode::Config, "'{}' is not a regular file", path);
  if (static_cast<std::size_t>(st.st_size) > kMaxFileSize)
    return core::fail(core::ErrorCode::Config, "'{}' is larger than {} bytes", path, kMaxFileSize);
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::fail(core::ErrorCode::System, "cannot read '{}': {}", path, std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Loader {
 public:
  explicit Loader(Diagnostics& diag) : diag_(diag) {}

  std::vector<Statement> text(std::string_view text, const std::string& name, const std::string& base_dir,
                              int depth) {
    std::size_t before = diag_.error_count();
    auto tokens = lex(text, name, diag_);
    // A broken token (an unterminated string) would only make the parser
    // report the same mistake again in other words.
    if (diag_.error_count() != before) return {};
    auto stmts = parse(tokens, diag_);
    std::vector<Statement> out;
    for (auto& s : stmts) {
      if (s.head().is_word("include")) {
        include(s, base_dir, depth, out);
      } else {
        out.push_back(std::move(s));
      }
    }
    return out;
  }

  void file(const std::string& path, const Location& from, int depth, std::vector<Statement>& out) {
    auto data = read_whole(path);
    if (!data) {
      diag_.add_error(from, data.error().detail);
      return;
    }
    std::string canon = canonical(path);
    if (std::find(stack_.begin(), stack_.end(), canon) != stack_.end()) {
      std::string chain;
      for (const auto& p : stack_) chain += p + " -> ";
      diag_.error(from, "include loop: {}{}", chain, canon);
      return;
    }
    stack_.push_back(canon);
    auto stmts = text(*data, path, dir_of(path), depth);
    stack_.pop_back();
    for (auto& s : stmts) out.push_back(std::move(s));
  }

 private:
  void include(const Statement& s, const std::string& base_dir, int depth, std::vector<Statement>& out) {
    if (s.items.size() != 2 || !s.items[1].is_value() || s.has_block) {
      diag_.error(s.loc(), "include takes one path: include \"file-or-glob\";");
      return;
    }
    const Token& arg = s.items[1];
    auto path = expand_env(arg.text);
    if (!path) {
      diag_.add_error(arg.loc, path.error().detail);
      return;
    }
    if (depth + 1 > kMaxIncludeDepth) {
      diag_.error(s.loc(), "includes nested too deeply (limit {}): '{}'", kMaxIncludeDepth, *path);
      return;
    }
    std::string full = *path;
    if (!full.empty() && full[0] != '/' && full[0] != '~' && !base_dir.empty()) full = base_dir + "/" + full;
    GlobResult g(full);
    if (g.rc == GLOB_NOMATCH) {
      // A pattern over an empty directory is not a mistake; a plain missing file is.
      if (has_glob_meta(full))
        diag_.warn(arg.loc, "include pattern '{}' matches no file", full);
      else
        diag_.error(arg.loc, "cannot open include file '{}': {}", full, std::strerror(ENOENT));
      return;
    }
    if (g.rc != 0) {
      diag_.error(arg.loc, "cannot expand include pattern '{}'", full);
      return;
    }
    for (std::size_t i = 0; i < g.g.gl_pathc; ++i) file(g.g.gl_pathv[i], arg.loc, depth + 1, out);
  }

  Diagnostics& diag_;
  std::vector<std::string> stack_;  // canonical paths being read, outermost first
};

}  // namespace

std::vector<Statement> load_text(std::string_view text, const std::string& name, const std::string& base_dir,
                                 Diagnostics& diag) {
  return Loader(diag).text(text, name, base_dir, 0);
}

std::vector<Statement> load_file(const std::string& path, Diagnostics& diag) {
  std::vector<Statement> out;
  Loader(diag).file(path, Location{path, 0, 0}, 0, out);
  return out;
}

}  // namespace kagid::config
