// daemon/config/lexer.cc — the racoon2.conf lexer (lib/cftoken.l's rules,
// written by hand so every token carries file:line:column).
//
//   comment  "#" to end of line          newline  \r?\n
//   word     [0-9A-Za-z%*\-./:?@_]+      string   "..." on one line
//   punct    { } ; ,
//
// kagi also lets a word contain ${NAME} / $[NAME], which racoon2 accepted
// only inside quotes; keywords are not special here (the resolver reads
// them in context), so `on`, `sec` or `ike` lex as plain words.
#include <cstdint>

#include "daemon/config/syntax.h"

namespace kagid::config {
namespace {

bool is_word_char(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  switch (c) {
    case '%': case '*': case '-': case '.': case '/': case ':': case '?': case '@': case '_':
      return true;
    default:
      return false;
  }
}

bool is_var_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
         c == '.' || c == '-';
}

class Lexer {
 public:
  Lexer(std::string_view text, const std::string& file, Diagnostics& diag)
      : text_(text), file_(file), diag_(diag) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        advance_line();
      } else if (c == ' ' || c == '\t' || c == '\r') {
        advance();
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') advance();
      } else if (c == '{' || c == '}' || c == ';' || c == ',') {
        out.push_back(Token{punct_kind(c), std::string(1, c), here()});
        advance();
      } else if (c == '"') {
        lex_string(out);
      } else if (is_word_char(c) || c == '$') {
        lex_word(out);
      } else {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x21 && u < 0x7f)
          diag_.error(here(), "unexpected character '{}'", c);
        else
          diag_.error(here(), "unexpected byte 0x{:02x}", u);
        advance();
      }
    }
    out.push_back(Token{TokenKind::End, "", here()});
    return out;
  }

 private:
  static TokenKind punct_kind(char c) {
    switch (c) {
      case '{': return TokenKind::LBrace;
      case '}': return TokenKind::RBrace;
      case ';': return TokenKind::Semicolon;
      default: return TokenKind::Comma;
    }
  }

  Location here() const { return Location{file_, line_, col_}; }
  void advance() { ++pos_, ++col_; }
  void advance_line() { ++pos_, ++line_, col_ = 1; }

  // lex_string reads "..."; a string may not span lines (racoon2 allowed it,
  // but then a missing quote swallows the rest of the file silently).
  void lex_string(std::vector<Token>& out) {
    Location start = here();
    advance();
    std::string s;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
      if (text_[pos_] == '\0') {
        diag_.error(here(), "NUL byte in string");
      } else {
        s += text_[pos_];
      }
      advance();
    }
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      diag_.error(start, "unterminated string (a quoted string must end on its line)");
      return;
    }
    advance();
    out.push_back(Token{TokenKind::String, std::move(s), start});
  }

  void lex_word(std::vector<Token>& out) {
    Location start = here();
    std::string w;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (is_word_char(c)) {
        w += c;
        advance();
      } else if (c == '$') {
        if (!lex_variable(w)) return;
      } else {
        break;
      }
    }
    out.push_back(Token{TokenKind::Word, std::move(w), start});
  }

  // lex_variable appends "${NAME}" or "$[NAME]" to w; expansion happens in
  // the resolver, after every file is read.
  bool lex_variable(std::string& w) {
    Location start = here();
    char open = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (open != '{' && open != '[') {
      diag_.error(start, "unexpected character '$' (write ${{NAME}} or $[NAME])");
      advance();
      return false;
    }
    char close = open == '{' ? '}' : ']';
    std::size_t p = pos_ + 2;
    while (p < text_.size() && is_var_char(text_[p])) ++p;
    if (p >= text_.size() || text_[p] != close || p == pos_ + 2) {
      diag_.error(start, "malformed variable reference: expected {}NAME{}", open == '{' ? "${" : "$[",
                  close);
      while (pos_ < p) advance();
      return false;
    }
    w.append(text_.substr(pos_, p + 1 - pos_));
    while (pos_ <= p) advance();
    return true;
  }

  std::string_view text_;
  const std::string& file_;
  Diagnostics& diag_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t col_ = 1;
};

}  // namespace

std::vector<Token> lex(std::string_view text, const std::string& file, Diagnostics& diag) {
  return Lexer(text, file, diag).run();
}

std::string_view token_kind_name(TokenKind k) {
  switch (k) {
    case TokenKind::Word: return "word";
    case TokenKind::String: return "string";
    case TokenKind::LBrace: return "'{'";
    case TokenKind::RBrace: return "'}'";
    case TokenKind::Semicolon: return "';'";
    case TokenKind::Comma: return "','";
    case TokenKind::End: return "end of file";
  }
  return "token";
}

}  // namespace kagid::config
