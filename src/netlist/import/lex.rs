//! Verilog tokens: enough of the language to read structural netlists and
//! to recognize (not understand) behavioural constructs. Comments,
//! attributes `(* ... *)` and compiler directives are skipped, so nothing a
//! file says in them changes how it is read.

use crate::error::{Error, Result};
use std::path::Path;

/// One token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// Identifier or keyword (escaped identifiers without the backslash,
    /// system names with their `$`).
    Ident(String),
    /// A number literal as written (`12`, `8'hff`, `1'b0`).
    Num(String),
    /// Punctuation or an operator.
    Sym(&'static str),
    /// A string literal (only behavioural code has them).
    Str,
}

/// A token and the line it starts on.
#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: u32,
}

/// Operators and punctuation, longest first.
const SYMS: &[&str] = &[
    "<<<", ">>>", "===", "!==", "~^", "^~", "~&", "~|", "<<", ">>", "<=", ">=", "==", "!=", "&&",
    "||", "**", "->", "+:", "-:", "(", ")", "[", "]", "{", "}", ";", ",", ".", ":", "=", "~", "&",
    "|", "^", "?", "+", "-", "*", "/", "%", "<", ">", "!", "#", "@",
];

/// Split `text` (the contents of `file`) into tokens.
pub fn lex(text: &str, file: &Path) -> Result<Vec<Token>> {
    let b = text.as_bytes();
    let mut toks = Vec::new();
    let (mut i, mut line) = (0usize, 1u32);
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | 0x0c => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = line;
                i += 2;
                loop {
                    if i + 1 >= b.len() {
                        return Err(Error::at_line(
                            file,
                            start as usize,
                            "unterminated `/*` comment",
                        ));
                    }
                    if b[i] == b'*' && b[i + 1] == b'/' {
                        i += 2;
                        break;
                    }
                    if b[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'(' if b.get(i + 1) == Some(&b'*') && b.get(i + 2) != Some(&b')') => {
                // Attribute `(* ... *)`.
                let start = line;
                i += 2;
                loop {
                    if i + 1 >= b.len() {
                        return Err(Error::at_line(
                            file,
                            start as usize,
                            "unterminated `(*` attribute",
                        ));
                    }
                    if b[i] == b'*' && b[i + 1] == b')' {
                        i += 2;
                        break;
                    }
                    if b[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'`' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                toks.push(Token {
                    tok: Tok::Str,
                    line,
                });
            }
            b'\\' => {
                let s = i + 1;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                toks.push(Token {
                    tok: Tok::Ident(text[s..i].to_string()),
                    line,
                });
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                let s = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$')
                {
                    i += 1;
                }
                toks.push(Token {
                    tok: Tok::Ident(text[s..i].to_string()),
                    line,
                });
            }
            c if c.is_ascii_digit()
                || (c == b'\'' && b.get(i + 1).is_some_and(|d| b"bBoOdDhHsS".contains(d))) =>
            {
                let s = i;
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
                    i += 1;
                }
                if i < b.len() && b[i] == b'\'' {
                    i += 1;
                    if i < b.len() && (b[i] == b's' || b[i] == b'S') {
                        i += 1;
                    }
                    if i < b.len() && b"bBoOdDhH".contains(&b[i]) {
                        i += 1;
                    }
                    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                        i += 1;
                    }
                    while i < b.len()
                        && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'?')
                    {
                        i += 1;
                    }
                } else if i < b.len()
                    && b[i] == b'.'
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                {
                    i += 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                }
                toks.push(Token {
                    tok: Tok::Num(text[s..i].to_string()),
                    line,
                });
            }
            _ => {
                let rest = &text[i..];
                match SYMS.iter().find(|s| rest.starts_with(**s)) {
                    Some(s) => {
                        toks.push(Token {
                            tok: Tok::Sym(s),
                            line,
                        });
                        i += s.len();
                    }
                    None => {
                        let ch = rest.chars().next().unwrap_or('?');
                        return Err(Error::at_line(
                            file,
                            line as usize,
                            format!("unexpected character {ch:?}: not Verilog text"),
                        ));
                    }
                }
            }
        }
    }
    Ok(toks)
}

/// Value of a number literal: `(declared width, bits LSB first)`, an
/// `x`/`z`/`?` bit as `None`. Unsized literals are 32 bits wide, as in
/// Verilog; a literal whose leftmost digit is x/z extends with x/z.
pub fn number(text: &str) -> std::result::Result<(usize, Vec<Option<bool>>), String> {
    let t: String = text
        .chars()
        .filter(|&c| c != '_' && c != ' ' && c != '\t')
        .collect();
    let (size, base, digits) = match t.find('\'') {
        None => (None, 10, t.as_str()),
        Some(q) => {
            let size = if q == 0 {
                None
            } else {
                Some(
                    t[..q]
                        .parse::<usize>()
                        .map_err(|_| format!("bad number `{text}`"))?,
                )
            };
            let mut rest = &t[q + 1..];
            if rest.starts_with(['s', 'S']) {
                rest = &rest[1..];
            }
            let (base, digits) = match rest.chars().next() {
                Some('b' | 'B') => (2, &rest[1..]),
                Some('o' | 'O') => (8, &rest[1..]),
                Some('d' | 'D') => (10, &rest[1..]),
                Some('h' | 'H') => (16, &rest[1..]),
                _ => return Err(format!("bad number `{text}`")),
            };
            (size, base, digits)
        }
    };
    if digits.is_empty() {
        return Err(format!("bad number `{text}`"));
    }
    let is_x = |c: char| matches!(c, 'x' | 'X' | 'z' | 'Z' | '?');
    let mut bits: Vec<Option<bool>> = Vec::new();
    if base == 10 {
        if digits.chars().all(is_x) {
            bits.push(None);
        } else {
            let v: u128 = digits.parse().map_err(|_| format!("bad number `{text}`"))?;
            for k in 0..128 {
                bits.push(Some((v >> k) & 1 == 1));
            }
        }
    } else {
        let per = match base {
            2 => 1,
            8 => 3,
            _ => 4,
        };
        for c in digits.chars().rev() {
            if is_x(c) {
                bits.extend(std::iter::repeat_n(None, per));
                continue;
            }
            let d = c
                .to_digit(base)
                .ok_or_else(|| format!("bad digit `{c}` in `{text}`"))?;
            for k in 0..per {
                bits.push(Some((d >> k) & 1 == 1));
            }
        }
    }
    let width = size.unwrap_or(32);
    if width == 0 || width > 1 << 16 {
        return Err(format!("`{text}`: width out of range"));
    }
    let pad = if digits.starts_with(is_x) {
        None
    } else {
        Some(false)
    };
    bits.resize(width, pad);
    Ok((width, bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_attributes_vanish() {
        let t = lex(
            "a /* x\n y */ b // c\n(* keep *) `timescale 1ns/1ps\n d",
            Path::new("f.v"),
        )
        .unwrap();
        let names: Vec<(String, u32)> = t
            .iter()
            .map(|t| match &t.tok {
                Tok::Ident(s) => (s.clone(), t.line),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            names,
            vec![("a".into(), 1), ("b".into(), 2), ("d".into(), 4)]
        );
    }

    #[test]
    fn numbers() {
        let t = Some(true);
        let f = Some(false);
        assert_eq!(number("1'b1").unwrap(), (1, vec![t]));
        assert_eq!(number("4'hA").unwrap(), (4, vec![f, t, f, t]));
        assert_eq!(number("3").unwrap().1[..3], [t, t, f]);
        assert_eq!(number("3").unwrap().0, 32);
        assert_eq!(number("1'bx").unwrap(), (1, vec![None]));
        assert_eq!(number("3'bx1").unwrap(), (3, vec![t, None, None]));
        assert_eq!(number("4'b01").unwrap(), (4, vec![t, f, f, f]));
    }

    #[test]
    fn garbage_names_its_line() {
        let e = lex("module m;\n\u{1}", Path::new("g.v"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("g.v:2:"), "{e}");
    }
}
