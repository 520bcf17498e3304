// daemon/config/parser.cc — builds the syntax tree (syntax.h) from tokens.
//
// Recursive descent over one rule, statement := item* [block] ";", with
// recovery: a missing ";" is reported and assumed, a stray "}" or ";" is
// reported and skipped, so one run finds many mistakes.
#include "daemon/config/syntax.h"

namespace kagid::config {
namespace {

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, Diagnostics& diag) : toks_(tokens), diag_(diag) {}

  std::vector<Statement> run() { return statements(0, false); }

 private:
  const Token& peek() const { return toks_[pos_]; }
  void next() {
    if (toks_[pos_].kind != TokenKind::End) ++pos_;
  }

  std::vector<Statement> statements(int depth, bool in_block) {
    std::vector<Statement> out;
    for (;;) {
      const Token& t = peek();
      switch (t.kind) {
        case TokenKind::End:
          return out;
        case TokenKind::RBrace:
          if (in_block) return out;
          diag_.error(t.loc, "unexpected '}}' (no block is open)");
          next();
          break;
        case TokenKind::Semicolon:
          diag_.error(t.loc, "empty statement (stray ';')");
          next();
          break;
        case TokenKind::LBrace:
          diag_.error(t.loc, "a block must follow a directive name");
          skip_block();
          break;
        default:
          out.push_back(statement(depth));
          break;
      }
    }
  }

  Statement statement(int depth) {
    Statement s;
    while (peek().kind == TokenKind::Word || peek().kind == TokenKind::String ||
           peek().kind == TokenKind::Comma)
      s.items.push_back(peek()), next();
    std::string what = s.items.front().text;
    if (s.items.size() > 1) what += " " + s.items[1].text;
    if (peek().kind == TokenKind::LBrace) {
      s.has_block = true;
      s.block_loc = peek().loc;
      if (depth + 1 >= kMaxBlockDepth) {
        diag_.error(s.block_loc, "blocks nested too deeply (limit {})", kMaxBlockDepth);
        skip_block();
      } else {
        next();
        s.block = statements(depth + 1, true);
        if (peek().kind != TokenKind::RBrace) {
          diag_.error(s.block_loc, "unterminated block: '{{' of '{}' has no matching '}}'", what);
          return s;
        }
        next();
      }
      if (peek().kind == TokenKind::Semicolon) {
        next();
      } else {
        diag_.error(peek().loc, "expected ';' after '}}' of the '{}' block, found {}", what,
                    describe(peek()));
      }
      return s;
    }
    if (peek().kind == TokenKind::Semicolon) {
      next();
    } else {
      const Token& last = s.items.back();
      diag_.error(peek().loc, "expected ';' after '{}', found {}", last.text, describe(peek()));
    }
    return s;
  }

  // skip_block skips a "{ ... }" group (with nested groups) and a ";" after it.
  void skip_block() {
    int open = 0;
    do {
      if (peek().kind == TokenKind::LBrace) ++open;
      if (peek().kind == TokenKind::RBrace) --open;
      if (peek().kind == TokenKind::End) return;
      next();
    } while (open > 0);
    if (peek().kind == TokenKind::Semicolon) next();
  }

  static std::string describe(const Token& t) {
    if (t.kind == TokenKind::Word) return "'" + t.text + "'";
    if (t.kind == TokenKind::String) return "\"" + t.text + "\"";
    return std::string(token_kind_name(t.kind));
  }

  const std::vector<Token>& toks_;
  Diagnostics& diag_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<Statement> parse(const std::vector<Token>& tokens, Diagnostics& diag) {
  if (tokens.empty() || tokens.back().kind != TokenKind::End) return {};
  return Parser(tokens, diag).run();
}

}  // namespace kagid::config
