// daemon/config/resolve_ctx.h — internal to the resolver: the context that
// turns statements' words into typed values (reporting file:line:col on
// every mistake), and the directive-table machinery the block resolvers use.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "daemon/config/algorithms.h"
#include "daemon/config/diagnostics.h"
#include "daemon/config/expand.h"
#include "daemon/config/model.h"
#include "daemon/config/syntax.h"

namespace kagid::config::detail {

// AddrAllow: which address forms a directive accepts.
enum AddrAllow : unsigned {
  kLiteral = 1u << 0,   // a literal address
  kPrefix = 1u << 1,    // addr/len
  kMyMacros = 1u << 2,  // MY_IP, MY_IPV4, MY_IPV6*, MY_HOA
  kIpAny = 1u << 3,
  kIpRw = 1u << 4,
  kFqdn = 1u << 5,
  kUnix = 1u << 6,      // unix "path" (spmd)
  kPort = 1u << 7,      // "port N|any|service"
};

using Tokens = std::span<const Token>;

// Ctx reads values for one configuration; every failure is reported to diag
// and answered with nullopt, so callers simply skip the assignment.
class Ctx {
 public:
  Ctx(Diagnostics& d, const Setvals& raw_setvals) : diag(d), setvals(raw_setvals) {}

  Diagnostics& diag;
  const Setvals& setvals;  // raw (unexpanded) setval values

  // args: the statement's items after its directive name.
  static Tokens args(const Statement& s) { return Tokens(s.items).subspan(1); }
  // value: a value token's text with ${...} and $[...] expanded.
  std::optional<std::string> value(const Token& t);
  // no_block reports (and returns false) when s has a "{ }" it may not have.
  bool no_block(const Statement& s);
  // single: exactly one value, no block.
  std::optional<std::string> single(const Statement& s);
  std::optional<bool> boolean(const Statement& s);
  std::optional<std::uint64_t> number(const Statement& s, std::uint64_t min, std::uint64_t max);
  std::optional<Duration> duration(const Statement& s);
  std::optional<ByteSize> bytes(const Statement& s);
  struct Quantity;
  std::optional<std::uint64_t> scaled(const Statement& s, const Quantity& q);
  // keyword returns the index in choices of the statement's single value.
  std::optional<std::size_t> keyword(const Statement& s, std::initializer_list<std::string_view> choices);
  // elements: the entries of a L(x) value, "x" or "{ x; x; }".
  std::optional<std::vector<Tokens>> elements(const Statement& s);
  std::optional<AddressSpec> address(Tokens el, unsigned allow, std::string_view directive);
  std::optional<std::vector<AddressSpec>> addresses(const Statement& s, unsigned allow);
  std::optional<std::vector<Algorithm>> algorithms(const Statement& s, TransformType t, AlgorithmUse use);
  std::optional<Ref> ref(const Statement& s);
  std::optional<std::vector<Ref>> refs(const Statement& s);
  // supported_value reports a value listed in unsupported.h; true if usable.
  bool supported_value(std::string_view block, const Statement& s, std::string_view value, const Location& at);
  // extra reports tokens left over after a directive's value.
  void extra(const Statement& s, const Token& t);
};

// Directive is one row of a block's table.
template <typename T>
struct Directive {
  std::string_view name;
  void (*apply)(Ctx&, const Statement&, T&);
};

// dispatch runs the row named by s's head; false when the table lacks it.
template <typename T, std::size_t N>
bool dispatch(Ctx& c, const std::array<Directive<T>, N>& table, const Statement& s, T& target) {
  for (const auto& d : table) {
    if (d.name == s.head().text) {
      d.apply(c, s, target);
      return true;
    }
  }
  return false;
}

// Seen maps the directives a block gave to where each was written.
using Seen = std::map<std::string, Location, std::less<>>;

// apply_block feeds body's statements to handler after the common checks:
// a directive name is a word, appears once, is not in the unsupported table;
// handler returns false for a name it does not know ("unknown directive").
Seen apply_block(Ctx& c, std::string_view block, const std::vector<Statement>& body,
                 const std::function<bool(const Statement&)>& handler);

// member_class<M> names the struct a pointer-to-member M belongs to.
template <typename>
struct member_class;
template <typename C, typename V>
struct member_class<V C::*> {
  using type = C;
};
template <auto M>
using owner_t = typename member_class<decltype(M)>::type;

// Generic setters for table rows: {"passive", set_bool<&KmpCommon::passive>}.
template <auto M>
void set_bool(Ctx& c, const Statement& s, owner_t<M>& t) {
  if (auto v = c.boolean(s)) t.*M = *v;
}
template <auto M>
void set_duration(Ctx& c, const Statement& s, owner_t<M>& t) {
  if (auto v = c.duration(s)) t.*M = *v;
}
template <auto M>
void set_bytes(Ctx& c, const Statement& s, owner_t<M>& t) {
  if (auto v = c.bytes(s)) t.*M = *v;
}
template <auto M, std::uint64_t Min, std::uint64_t Max>
void set_u32(Ctx& c, const Statement& s, owner_t<M>& t) {
  if (auto v = c.number(s, Min, Max)) t.*M = static_cast<std::uint32_t>(*v);
}
// set_size is set_u32 for byte counts that may carry a unit ("16 B").
template <auto M, std::uint64_t Min, std::uint64_t Max>
void set_size(Ctx& c, const Statement& s, owner_t<M>& t) {
  auto v = c.bytes(s);
  if (!v) return;
  if (v->bytes < Min || v->bytes > Max) {
    c.diag.error(s.loc(), "'{}' must be {} to {} bytes", s.head().text, Min, Max);
    return;
  }
  t.*M = static_cast<std::uint32_t>(v->bytes);
}
template <auto M>
void set_string(Ctx& c, const Statement& s, owner_t<M>& t) {
  if (auto v = c.single(s)) t.*M = *v;
}
template <auto M>
void set_addresses(Ctx& c, const Statement& s, owner_t<M>& t, unsigned allow) {
  if (auto v = c.addresses(s, allow)) t.*M = std::move(*v);
}
template <auto M, TransformType Type, AlgorithmUse Use>
void set_algorithms(Ctx& c, const Statement& s, owner_t<M>& t) {
  if (auto v = c.algorithms(s, Type, Use)) t.*M = std::move(*v);
}

// builtin_algorithms builds a built-in list from names in the table.
std::vector<Algorithm> builtin_algorithms(TransformType t, AlgorithmUse use,
                                          std::initializer_list<std::string_view> names);

// Block resolvers (resolve_remote.cc, resolve_spd.cc). apply_* read a
// block into a value that starts as a copy of the default; finalize_* check
// what the block must have once the default has been merged in.
Remote builtin_remote();
Ikev2Params builtin_ikev2();
KinkParams builtin_kink();
Sa builtin_sa();
Seen apply_remote(Ctx& c, const std::vector<Statement>& body, Remote& r);
void finalize_remote(Ctx& c, Remote& r, const Seen& seen);
Seen apply_selector(Ctx& c, const std::vector<Statement>& body, Selector& s);
Seen apply_policy(Ctx& c, const std::vector<Statement>& body, Policy& p);
Seen apply_ipsec(Ctx& c, const std::vector<Statement>& body, Ipsec& i);
Seen apply_sa(Ctx& c, const std::vector<Statement>& body, Sa& s);
void apply_addresspool(Ctx& c, const std::vector<Statement>& body, AddressPool& p);
void finalize_selector(Ctx& c, const Selector& s, const Seen& seen);
void finalize_policy(Ctx& c, const Policy& p);
void finalize_ipsec(Ctx& c, const Ipsec& i);
void finalize_sa(Ctx& c, const Sa& s);

}  // namespace kagid::config::detail
