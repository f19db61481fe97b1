//! Country names, from [`casus_core::country_name`], so that text reads "Russia", not "RUS".

/// The country's name, or the code itself when casus does not know it.
pub fn country(code: &str) -> &str {
    casus_core::country_name(code)
}

/// The same with a capital first letter, for the start of a sentence.
pub fn country_cap(code: &str) -> String {
    let n = country(code);
    let mut c = n.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
