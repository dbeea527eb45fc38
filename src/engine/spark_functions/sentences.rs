//! `sentences(text [, language, country])`: text split into sentences, each a list of its words,
//! as Spark splits it with Java's break iterators. A sentence ends at `.`, `!` or `?` followed
//! by white space or the end; a word is a run of letters and digits, keeping an apostrophe between
//! letters (`don't`) and a point or comma between digits (`3.5`). Punctuation and spaces are
//! dropped. The language and country are accepted; the rules are the same for all.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListBuilder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("sentences", Signature::variadic_any(Volatility::Immutable), |_| Ok(sentences_type()), sentences)]
}

fn sentences_type() -> DataType {
    DataType::new_list(DataType::new_list(DataType::Utf8, true), true)
}

/// The text's sentences, each the list of its words; sentences without words are left out.
fn split(text: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut sentence, mut word): (Vec<String>, String) = (Vec::new(), String::new());
    let finish_word = |word: &mut String, sentence: &mut Vec<String>| {
        if !word.is_empty() {
            sentence.push(std::mem::take(word));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let joins = match c {
            '\'' | '\u{2019}' => prev.is_some_and(char::is_alphabetic) && next.is_some_and(char::is_alphabetic),
            '.' | ',' => prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()),
            _ => false,
        };
        if c.is_alphanumeric() || (joins && !word.is_empty()) {
            word.push(c);
            continue;
        }
        finish_word(&mut word, &mut sentence);
        // The last mark of a run (`?!`) before white space or the end closes the sentence.
        let ends = matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace);
        if ends && !sentence.is_empty() {
            out.push(std::mem::take(&mut sentence));
        }
    }
    finish_word(&mut word, &mut sentence);
    if !sentence.is_empty() {
        out.push(sentence);
    }
    out
}

fn sentences(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let Some(text) = args.first() else { return exec_err!("sentences takes a text") };
    let text = cast(text, &DataType::Utf8)?;
    let text = text.as_string::<i32>();
    let words = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(Field::new_list_field(DataType::Utf8, true)));
    let mut out = ListBuilder::new(words).with_field(Arc::new(Field::new_list_field(DataType::new_list(DataType::Utf8, true), true)));
    for i in 0..text.len() {
        if text.is_null(i) {
            out.append_null();
            continue;
        }
        for sentence in split(text.value(i)) {
            for w in sentence {
                out.values().values().append_value(w);
            }
            out.values().append(true);
        }
        out.append(true);
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_splits_into_sentences_of_words() {
        assert_eq!(split("Hello world. How are you?"), vec![vec!["Hello", "world"], vec!["How", "are", "you"]]);
        assert_eq!(split("i don't know, 3.5 apples!  ok"), vec![vec!["i", "don't", "know", "3.5", "apples"], vec!["ok"]]);
        assert_eq!(split("one...two"), vec![vec!["one", "two"]]);
        assert!(split("").is_empty());
    }
}
