// daemon/config/resolve_ctx.cc — typed value readers over statements.
#include "daemon/config/resolve_ctx.h"

#include <algorithm>

#include "daemon/config/unsupported.h"
#include "daemon/config/values.h"

namespace kagid::config::detail {
namespace {

std::string token_text(const Token& t) {
  if (t.kind == TokenKind::String) return "\"" + t.text + "\"";
  if (t.kind == TokenKind::Comma) return ",";
  return t.text;
}

}  // namespace

std::optional<std::string> Ctx::value(const Token& t) {
  if (!t.is_value()) {
    diag.error(t.loc, "expected a value, found {}", token_kind_name(t.kind));
    return std::nullopt;
  }
  auto v = expand(t.text, setvals);
  if (!v) {
    diag.add_error(t.loc, v.error().detail);
    return std::nullopt;
  }
  return std::move(*v);
}

bool Ctx::no_block(const Statement& s) {
  if (!s.has_block) return true;
  diag.error(s.block_loc, "'{}' takes no {{ }} block", s.head().text);
  return false;
}

void Ctx::extra(const Statement& s, const Token& t) {
  diag.error(t.loc, "unexpected '{}' after the value of '{}' (missing ';'?)", token_text(t), s.head().text);
}

std::optional<std::string> Ctx::single(const Statement& s) {
  auto a = args(s);
  if (!no_block(s)) return std::nullopt;
  if (a.empty()) {
    diag.error(s.loc(), "'{}' needs a value", s.head().text);
    return std::nullopt;
  }
  if (a.size() > 1) {
    extra(s, a[1]);
    return std::nullopt;
  }
  return value(a[0]);
}

std::optional<bool> Ctx::boolean(const Statement& s) {
  auto v = single(s);
  if (!v) return std::nullopt;
  auto b = parse_bool(*v);
  if (!b) diag.error(args(s)[0].loc, "bad boolean '{}' for '{}' (on/off, yes/no, enable/disable)", *v, s.head().text);
  return b;
}

std::optional<std::uint64_t> Ctx::number(const Statement& s, std::uint64_t min, std::uint64_t max) {
  auto v = single(s);
  if (!v) return std::nullopt;
  auto n = parse_number(*v, max);
  if (!n || *n < min) {
    diag.error(args(s)[0].loc, "bad number '{}' for '{}' ({} to {})", *v, s.head().text, min, max);
    return std::nullopt;
  }
  return *n;
}

// Quantity describes one "N [unit]" | "infinite" value kind for scaled().
struct Ctx::Quantity {
  const char* noun;        // "time" / "size"
  const char* forms;       // "N sec|min|hour|day"
  const char* unit_noun;   // "time unit" / "byte unit"
  const char* units;       // "sec, min, hour, day"
  std::optional<std::uint64_t> (*unit)(std::string_view);
};

// scaled reads "N [unit]" or "infinite" (0 = infinite): racoon2's time_spec
// and byte_spec differ only in their unit table and wording.
std::optional<std::uint64_t> Ctx::scaled(const Statement& s, const Quantity& q) {
  auto a = args(s);
  if (!no_block(s)) return std::nullopt;
  if (a.empty()) {
    diag.error(s.loc(), "'{}' needs a {} ({}, or infinite)", s.head().text, q.noun, q.forms);
    return std::nullopt;
  }
  auto n = value(a[0]);
  if (!n) return std::nullopt;
  if (*n == "infinite") {
    if (a.size() > 1) extra(s, a[1]);
    return a.size() > 1 ? std::nullopt : std::optional<std::uint64_t>(0);
  }
  auto num = parse_number(*n);
  if (!num) {
    diag.error(a[0].loc, "bad {} '{}' for '{}' ({}, or infinite)", q.noun, *n, s.head().text, q.forms);
    return std::nullopt;
  }
  std::uint64_t unit = 1;
  if (a.size() >= 2) {
    auto u = value(a[1]);
    if (!u) return std::nullopt;
    auto per = q.unit(*u);
    if (!per) {
      diag.error(a[1].loc, "bad {} '{}' for '{}' ({})", q.unit_noun, *u, s.head().text, q.units);
      return std::nullopt;
    }
    unit = *per;
  }
  if (a.size() > 2) {
    extra(s, a[2]);
    return std::nullopt;
  }
  if (*num > UINT64_MAX / unit) {
    diag.error(a[0].loc, "{} '{}' is too large", q.noun, *n);
    return std::nullopt;
  }
  return *num * unit;
}

std::optional<Duration> Ctx::duration(const Statement& s) {
  static constexpr Quantity kTime{"time", "N sec|min|hour|day", "time unit", "sec, min, hour, day",
                                  time_unit_seconds};
  auto v = scaled(s, kTime);
  if (!v) return std::nullopt;
  return Duration{*v};
}

std::optional<ByteSize> Ctx::bytes(const Statement& s) {
  static constexpr Quantity kSize{"size", "N B|KB|MB|GB", "byte unit", "B, KB, MB, GB", byte_unit_size};
  auto v = scaled(s, kSize);
  if (!v) return std::nullopt;
  return ByteSize{*v};
}

std::optional<std::size_t> Ctx::keyword(const Statement& s, std::initializer_list<std::string_view> choices) {
  auto v = single(s);
  if (!v) return std::nullopt;
  std::size_t i = 0;
  std::string list;
  for (auto c : choices) {
    if (c == *v) return i;
    list += (i ? (i + 1 == choices.size() ? " or " : ", ") : "") + std::string(c);
    ++i;
  }
  diag.error(args(s)[0].loc, "bad value '{}' for '{}' (expected {})", *v, s.head().text, list);
  return std::nullopt;
}

std::optional<std::vector<Tokens>> Ctx::elements(const Statement& s) {
  auto a = args(s);
  std::vector<Tokens> out;
  if (s.has_block) {
    if (!a.empty()) {
      diag.error(a[0].loc, "'{}' takes a value or a {{ }} list, not both", s.head().text);
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& e : s.block) {
      if (e.has_block) {
        diag.error(e.block_loc, "no {{ }} block allowed inside the '{}' list", s.head().text);
        ok = false;
        continue;
      }
      out.emplace_back(e.items);
    }
    if (out.empty() && ok) diag.error(s.block_loc, "'{}' has an empty list", s.head().text);
    if (out.empty() || !ok) return std::nullopt;
    return out;
  }
  if (a.empty()) {
    diag.error(s.loc(), "'{}' needs a value", s.head().text);
    return std::nullopt;
  }
  out.push_back(a);
  return out;
}

std::optional<AddressSpec> Ctx::address(Tokens el, unsigned allow, std::string_view directive) {
  if (el.empty()) return std::nullopt;
  AddressSpec a;
  std::size_t used = 1;
  if (el[0].is_word("unix")) {
    if (!(allow & kUnix)) {
      diag.error(el[0].loc, "'unix' sockets are not allowed in '{}'", directive);
      return std::nullopt;
    }
    if (el.size() < 2) {
      diag.error(el[0].loc, "'unix' needs a path");
      return std::nullopt;
    }
    auto path = value(el[1]);
    if (!path) return std::nullopt;
    a.kind = AddressSpec::Kind::Unix;
    a.name = *path;
    used = 2;
  } else {
    auto text = value(el[0]);
    if (!text) return std::nullopt;
    auto parsed = parse_address(*text);
    if (!parsed) {
      diag.add_error(el[0].loc, parsed.error().detail);
      return std::nullopt;
    }
    a = std::move(*parsed);
    const char* refused = nullptr;
    if (a.kind == AddressSpec::Kind::Fqdn && !(allow & kFqdn)) refused = "a host name";
    if (a.kind == AddressSpec::Kind::Literal && !(allow & kLiteral)) refused = "an address";
    if (a.kind == AddressSpec::Kind::Literal && a.has_length && !(allow & kPrefix)) refused = "a prefix";
    if (a.kind == AddressSpec::Kind::Macro) {
      bool rw = a.macro == AddressMacro::IpRw, any = a.macro == AddressMacro::IpAny;
      if (rw && !(allow & kIpRw)) refused = "IP_RW";
      if (any && !(allow & kIpAny)) refused = "IP_ANY";
      if (!rw && !any && !(allow & kMyMacros)) refused = "a MY_* macro";
    }
    if (refused) {
      diag.error(el[0].loc, "'{}' is {}, which '{}' does not accept", *text, refused, directive);
      return std::nullopt;
    }
    if (el.size() >= 2 && el[1].is_word("port")) {
      if (!(allow & kPort)) {
        diag.error(el[1].loc, "'{}' takes no port", directive);
        return std::nullopt;
      }
      if (el.size() < 3) {
        diag.error(el[1].loc, "'port' needs a number, a service name or 'any'");
        return std::nullopt;
      }
      auto p = value(el[2]);
      if (!p) return std::nullopt;
      if (*p != "any") {
        auto port = parse_port(*p);
        if (!port) {
          diag.add_error(el[2].loc, port.error().detail);
          return std::nullopt;
        }
        a.port = *port;
      }
      used = 3;
    }
  }
  if (el.size() > used) {
    diag.error(el[used].loc, "unexpected '{}' after the address in '{}' (missing ';'?)", token_text(el[used]),
               directive);
    return std::nullopt;
  }
  a.loc = el[0].loc;
  return a;
}

std::optional<std::vector<AddressSpec>> Ctx::addresses(const Statement& s, unsigned allow) {
  auto els = elements(s);
  if (!els) return std::nullopt;
  std::vector<AddressSpec> out;
  bool ok = true;
  for (auto el : *els) {
    auto a = address(el, allow, s.head().text);
    if (a)
      out.push_back(std::move(*a));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

// algorithms reads "name [, keylen [, key]]" entries (racoon2 algorithm_spec).
std::optional<std::vector<Algorithm>> Ctx::algorithms(const Statement& s, TransformType type, AlgorithmUse use) {
  auto els = elements(s);
  if (!els) return std::nullopt;
  std::vector<Algorithm> out;
  bool ok = true;
  for (auto el : *els) {
    auto name = value(el[0]);
    if (!name) {
      ok = false;
      continue;
    }
    std::optional<std::uint32_t> bits;
    if (el.size() >= 2) {
      if (el[1].kind != TokenKind::Comma) {
        extra(s, el[1]);
        ok = false;
        continue;
      }
      if (el.size() >= 3 && el[2].is_value()) {
        auto b = value(el[2]);
        auto n = b ? parse_number(*b, 65535) : core::Result<std::uint64_t>(0);
        if (!b || !n) {
          if (b) diag.error(el[2].loc, "bad key length '{}' (bits)", *b);
          ok = false;
          continue;
        }
        bits = static_cast<std::uint32_t>(*n);
      }
      std::size_t next = bits ? 3 : 2;
      if (el.size() > next) {
        diag.error(el[std::min(next + 1, el.size() - 1)].loc, "algorithm keys are for manual keying (static_ipsec), which is not built yet");
        ok = false;
        continue;
      }
      if (!bits) {
        diag.error(el[1].loc, "expected a key length after ','");
        ok = false;
        continue;
      }
    }
    auto found = lookup_algorithm(type, use, *name, bits);
    if (!found) {
      diag.add_error(el[0].loc, found.error().detail);
      ok = false;
      continue;
    }
    if (!found->warning.empty()) diag.warn(el[0].loc, "{}", found->warning);
    found->alg.loc = el[0].loc;
    out.push_back(std::move(found->alg));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Ref> Ctx::ref(const Statement& s) {
  auto v = single(s);
  if (!v) return std::nullopt;
  return Ref{*v, args(s)[0].loc};
}

std::optional<std::vector<Ref>> Ctx::refs(const Statement& s) {
  auto els = elements(s);
  if (!els) return std::nullopt;
  std::vector<Ref> out;
  for (auto el : *els) {
    if (el.size() > 1) {
      extra(s, el[1]);
      return std::nullopt;
    }
    auto v = value(el[0]);
    if (!v) return std::nullopt;
    out.push_back(Ref{*v, el[0].loc});
  }
  return out;
}

bool Ctx::supported_value(std::string_view block, const Statement& s, std::string_view value,
                          const Location& at) {
  const auto* u = find_unsupported(block, s.head().text, value);
  if (u == nullptr) return true;
  if (u->support == Support::Refused)
    diag.error(at, "'{} {}' is not supported: {}", s.head().text, value, u->reason);
  else
    diag.warn(at, "'{} {}' is accepted but not used: {}", s.head().text, value, u->reason);
  return false;
}

Seen apply_block(Ctx& c, std::string_view block, const std::vector<Statement>& body,
                 const std::function<bool(const Statement&)>& handler) {
  Seen seen;
  for (const auto& s : body) {
    const Token& h = s.head();
    if (h.kind != TokenKind::Word) {
      c.diag.error(h.loc, "expected a directive name in the {} block, found {}", block, token_text(h));
      continue;
    }
    if (h.text == "include") {
      c.diag.error(h.loc, "'include' is allowed only at top level");
      continue;
    }
    if (auto [it, fresh] = seen.emplace(h.text, h.loc); !fresh) {
      c.diag.error(h.loc, "duplicate directive '{}' in the {} block (first at line {})", h.text, block,
                   it->second.line);
      continue;
    }
    if (const auto* u = find_unsupported(block, h.text)) {
      if (u->support == Support::Refused)
        c.diag.error(h.loc, "'{}' is not supported: {}", h.text, u->reason);
      else
        c.diag.warn(h.loc, "'{}' is accepted but not used: {}", h.text, u->reason);
      continue;
    }
    if (!handler(s)) c.diag.error(h.loc, "unknown directive '{}' in {} block", h.text, block);
  }
  return seen;
}

std::vector<Algorithm> builtin_algorithms(TransformType t, AlgorithmUse use,
                                          std::initializer_list<std::string_view> names) {
  std::vector<Algorithm> out;
  for (auto n : names)
    if (auto a = lookup_algorithm(t, use, n, std::nullopt)) out.push_back(a->alg);
  return out;
}

}  // namespace kagid::config::detail
