// daemon/config/syntax.h — tokens and the syntax tree of the racoon2.conf
// language, before any meaning is given to words.
//
// The whole language is one shape (lib/cfparse.y's rules all fit it):
//
//   statement := item* [ "{" statement* "}" ] ";"
//   item      := word | "quoted string" | ","
//
// so the parser stays generic and the resolver gives directives meaning.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "daemon/config/diagnostics.h"
#include "daemon/config/types.h"

namespace kagid::config {

enum class TokenKind : std::uint8_t { Word, String, LBrace, RBrace, Semicolon, Comma, End };

// Token is one lexeme; text is the word or the string without its quotes.
struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;
  Location loc;
  bool is_word(std::string_view w) const { return kind == TokenKind::Word && text == w; }
  bool is_value() const { return kind == TokenKind::Word || kind == TokenKind::String; }
};

// Statement is items, an optional block, and the closing ";". items is never
// empty (a bare "{ ... };" is a parse error); items[0] names the directive.
struct Statement {
  std::vector<Token> items;
  bool has_block = false;
  std::vector<Statement> block;
  Location block_loc;  // where "{" was
  const Token& head() const { return items.front(); }
  const Location& loc() const { return items.front().loc; }
};

// kMaxBlockDepth bounds nesting ("default { remote { ikev2 { provide { dns {"
// is 5 deep); deeper input is refused rather than recursed into.
inline constexpr int kMaxBlockDepth = 16;

// lex splits text into tokens ending with an End token; file names the
// source in every Location. Lexical errors go to diag; the bad bytes are
// skipped so later errors are still found.
std::vector<Token> lex(std::string_view text, const std::string& file, Diagnostics& diag);

// parse builds statements from tokens (which must end with End).
std::vector<Statement> parse(const std::vector<Token>& tokens, Diagnostics& diag);

// token_kind_name describes a token kind for messages ("'{'", "string").
std::string_view token_kind_name(TokenKind k);

}  // namespace kagid::config
