//! Doubles written as Java's `Double.toString` writes them, which is how Spark prints a DOUBLE in
//! a column name (`1.0E-10`, `1000.0`) and in JSON text: plain between 10^-3 and 10^7, else
//! `d.dddE±n`, always with a digit after the point.

/// Java's text for a double.
pub fn double_text(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() { "NaN".into() } else if x > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let magnitude = x.abs();
    if magnitude == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let plain = format!("{x}");
        return if plain.contains('.') { plain } else { format!("{plain}.0") };
    }
    let scientific = format!("{x:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
    format!("{mantissa}E{exponent}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_as_in_java() {
        assert_eq!(double_text(1.5), "1.5");
        assert_eq!(double_text(100.0), "100.0");
        assert_eq!(double_text(1e10), "1.0E10");
        assert_eq!(double_text(1.25e-5), "1.25E-5");
        assert_eq!(double_text(-1000.0), "-1000.0");
    }
}
