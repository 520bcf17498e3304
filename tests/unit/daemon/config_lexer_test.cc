// Lexer and parser of the racoon2.conf language: tokens with file:line:col,
// comments, CR-LF, strings, variables, recovery from syntax errors, and the
// bit-flip sweep over a valid configuration.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "bitflip.h"
#include "config_test_util.h"
#include "daemon/config/syntax.h"

using namespace kagid::config;

namespace {

std::vector<Token> lex_ok(std::string_view text) {
  Diagnostics d;
  auto t = lex(text, "f.conf", d);
  INFO(d.to_error().detail);
  REQUIRE_FALSE(d.failed());
  return t;
}

std::string lex_errors(std::string_view text) {
  Diagnostics d;
  lex(text, "f.conf", d);
  return d.to_error().detail;
}

std::string parse_errors(std::string_view text) {
  Diagnostics d;
  auto t = lex(text, "f.conf", d);
  parse(t, d);
  return d.to_error().detail;
}

}  // namespace

TEST_CASE("Tokens carry file, line and column", "[config][lexer]") {
  auto t = lex_ok("remote peer {\n\tpassive on; # comment\n};\n");
  REQUIRE(t.size() == 9);
  CHECK(t[0].kind == TokenKind::Word);
  CHECK(t[0].text == "remote");
  CHECK(t[0].loc == Location{"f.conf", 1, 1});
  CHECK(t[1].loc == Location{"f.conf", 1, 8});
  CHECK(t[2].kind == TokenKind::LBrace);
  CHECK(t[3].text == "passive");
  CHECK(t[3].loc == Location{"f.conf", 2, 2});
  CHECK(t[5].kind == TokenKind::Semicolon);
  CHECK(t[5].loc == Location{"f.conf", 2, 12});
  CHECK(t[6].kind == TokenKind::RBrace);
  CHECK(t[6].loc == Location{"f.conf", 3, 1});
  CHECK(t[8].kind == TokenKind::End);
  CHECK(t[8].loc.line == 4);
}

TEST_CASE("CR-LF line ends count as one line", "[config][lexer]") {
  auto t = lex_ok("a;\r\nb;\r\n");
  REQUIRE(t.size() == 5);
  CHECK(t[2].text == "b");
  CHECK(t[2].loc == Location{"f.conf", 2, 1});
}

TEST_CASE("Words take racoon2's character set; strings keep anything on one line", "[config][lexer]") {
  auto t = lex_ok("fe80::1%eth0 10.0.0.0/8 *?@_-. \"a b;{}#c\" aes_ctr,256");
  REQUIRE(t.size() == 8);
  CHECK(t[0].text == "fe80::1%eth0");
  CHECK(t[1].text == "10.0.0.0/8");
  CHECK(t[2].text == "*?@_-.");
  CHECK(t[3].kind == TokenKind::String);
  CHECK(t[3].text == "a b;{}#c");
  CHECK(t[4].text == "aes_ctr");
  CHECK(t[5].kind == TokenKind::Comma);
  CHECK(t[6].text == "256");
}

TEST_CASE("Variables may appear inside words", "[config][lexer]") {
  auto t = lex_ok("${PSKDIR}/x $[HOME] a${B}c");
  REQUIRE(t.size() == 4);
  CHECK(t[0].text == "${PSKDIR}/x");
  CHECK(t[1].text == "$[HOME]");
  CHECK(t[2].text == "a${B}c");
}

TEST_CASE("Lexical errors name the place", "[config][lexer]") {
  CHECK(lex_errors("a;\n  \"open") == "f.conf:2:3: unterminated string (a quoted string must end on its line)");
  CHECK(lex_errors("a = b;") == "f.conf:1:3: unexpected character '='");
  CHECK(lex_errors("x\x01;") == "f.conf:1:2: unexpected byte 0x01");
  CHECK(lex_errors("$x") == "f.conf:1:1: unexpected character '$' (write ${NAME} or $[NAME])");
  CHECK(lex_errors("a${B") == "f.conf:1:2: malformed variable reference: expected ${NAME}");
}

TEST_CASE("Parser builds statements with blocks", "[config][parser]") {
  Diagnostics d;
  auto stmts = parse(lex("remote r { ikev2 { passive on; }; acceptable_kmp ikev2; };\nsetval X \"1\";", "f.conf", d), d);
  REQUIRE_FALSE(d.failed());
  REQUIRE(stmts.size() == 2);
  CHECK(stmts[0].items.size() == 2);
  CHECK(stmts[0].has_block);
  CHECK(stmts[0].block_loc == Location{"f.conf", 1, 10});
  REQUIRE(stmts[0].block.size() == 2);
  CHECK(stmts[0].block[0].head().text == "ikev2");
  CHECK(stmts[0].block[0].block[0].items.size() == 2);
  CHECK_FALSE(stmts[1].has_block);
  CHECK(stmts[1].items.size() == 3);
}

TEST_CASE("Parser reports and recovers from syntax errors", "[config][parser]") {
  CHECK(parse_errors("remote r {\n a;\n") == "f.conf:1:10: unterminated block: '{' of 'remote r' has no matching '}'");
  CHECK(parse_errors("a b\n}") == "f.conf:2:1: expected ';' after 'b', found '}'\nf.conf:2:1: unexpected '}' (no block is open)");
  CHECK(parse_errors("x { a; }\ny;") == "f.conf:2:1: expected ';' after '}' of the 'x' block, found 'y'");
  CHECK(parse_errors("a;;") == "f.conf:1:3: empty statement (stray ';')");
  CHECK(parse_errors("{ a; };") == "f.conf:1:1: a block must follow a directive name");
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "a {";
  auto e = parse_errors(deep);
  CHECK_THAT(e, Catch::Contains("blocks nested too deeply (limit 16)"));
}

TEST_CASE("Bit flips, truncations and junk never crash the reader", "[config][bitflip]") {
  std::ifstream in(config_test::path("transport.conf"));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  REQUIRE(kagid::config::parse_config_text(text, "transport.conf"));
  std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  std::size_t accepted = 0;
  auto n = testing::for_each_mutation(bytes, [&](std::span<const std::uint8_t> m) {
    std::string_view v(reinterpret_cast<const char*>(m.data()), m.size());
    auto cfg = kagid::config::parse_config_text(v, "mutant.conf");
    if (cfg) {
      ++accepted;
      // Whatever is accepted must describe itself into an equal model.
      auto again = kagid::config::parse_config_text(describe(*cfg), "described.conf");
      REQUIRE(again);
      CHECK(again->remotes == cfg->remotes);
      CHECK(again->selectors == cfg->selectors);
    } else {
      CHECK_FALSE(cfg.error().detail.empty());
    }
  });
  CHECK(n > 8 * text.size());
  // Flips inside comments and some in names still give valid configurations.
  CHECK(accepted > 0);
  CHECK(accepted < n);
}
