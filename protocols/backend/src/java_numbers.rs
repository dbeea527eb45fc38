//! Doubles written as Java's `Double.toString` writes them, which is how Spark prints a DOUBLE in
//! a column name (`1.0E-10`, `1000.0`), in JSON text, in a cast to STRING and inside the arrays,
//! maps and structs of a result: plain between 10^-3 and 10^7, else `d.dddE±n`, always with a
//! digit after the point. It lives here because both the engine and the HiveServer2 front end
//! print such values.

/// Java's text for a double.
pub fn double_text(x: f64) -> String {
    java_text(x, format!("{x}"), format!("{x:e}"))
}

/// Java's text for a float (`Float.toString`): the shortest digits that read back as the float.
pub fn float_text(x: f32) -> String {
    java_text(f64::from(x), format!("{x}"), format!("{x:e}"))
}

/// Java's form of a number from its shortest plain and scientific texts.
fn java_text(x: f64, plain: String, scientific: String) -> String {
    if !x.is_finite() {
        return if x.is_nan() { "NaN".into() } else if x > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let magnitude = x.abs();
    if magnitude == 0.0 || (1e-3..1e7).contains(&magnitude) {
        return if plain.contains('.') { plain } else { format!("{plain}.0") };
    }
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
        assert_eq!(float_text(1e-5), "1.0E-5");
        assert_eq!(float_text(2.71), "2.71");
        assert_eq!(double_text(-1000.0), "-1000.0");
    }
}
