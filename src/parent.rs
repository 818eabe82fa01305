//! A member named only `name` or `address` under an object that stands for a person:
//! WhatsApp's webhook (`{"profile":{"name":"Budi Santoso"}}`), an order's
//! `{"customer":{"name":…,"address":…}}`, a chat's `{"sender":{"name":…}}`. Alone such a
//! key names a service, a product or a queue as often as a person, so it is no key rule;
//! under a person's object it is the key rule of a person's name or home address.

use crate::validate::word_in;

/// Objects that stand for a person (compared case-insensitively, `_` and `-` kept).
/// Sorted.
const PERSON_OBJECTS: [&str; 38] = [
    "account_holder",
    "applicant",
    "beneficiary",
    "buyer",
    "cardholder",
    "consignee",
    "contact",
    "customer",
    "debitur",
    "debtor",
    "driver",
    "employee",
    "guest",
    "karyawan",
    "member",
    "nasabah",
    "owner",
    "pasien",
    "passenger",
    "patient",
    "payee",
    "payer",
    "pegawai",
    "pelanggan",
    "pembeli",
    "pemilik",
    "pemohon",
    "penerima",
    "pengirim",
    "penumpang",
    "person",
    "profile",
    "receiver",
    "recipient",
    "sender",
    "shipper",
    "tamu",
    "user",
];

/// The member keys read under such an object, and the key rule each stands for.
const MEMBERS: [(&[u8], &[u8]); 6] = [
    (b"address", b"home_address"),
    (b"alamat", b"alamat"),
    (b"display_name", b"full_name"),
    (b"displayname", b"full_name"),
    (b"nama", b"nama"),
    (b"name", b"full_name"),
];

/// Is `key` (as written) an object that stands for a person?
pub(crate) fn is_person_object(key: &[u8]) -> bool {
    word_in(key, &PERSON_OBJECTS)
}

/// The key rule (its name, to look up) that member `key` of a person's object stands for.
pub(crate) fn member_rule(key: &[u8]) -> Option<&'static [u8]> {
    MEMBERS
        .iter()
        .find(|(k, _)| key.eq_ignore_ascii_case(k))
        .map(|&(_, rule)| rule)
}

/// Does the JSON text `line` hold a `\`, and a member whose key is a person's object and
/// whose value is an object (`"customer":{`, `"profile" : {`)? One scan for both: the
/// caller asks the first of every JSON line. A line whose text scan finds nothing is left
/// as it is unless its walk may find something (the text scan reads no key's object).
pub(crate) fn escapes_and_persons(line: &[u8]) -> (bool, bool) {
    // The line's own opening brace opens no member's object.
    let from = usize::from(line.first() == Some(&b'{'));
    let mut person = false;
    for at in memchr::memchr2_iter(b'\\', b'{', &line[from..]) {
        let at = from + at;
        if line[at] == b'\\' {
            return (true, person);
        }
        person = person || opens_person_object(&line[..at]);
    }
    (false, person)
}

/// Does `before` (a JSON text up to a `{`) end with a person's object's key and `:`?
fn opens_person_object(before: &[u8]) -> bool {
    let Some(colon) = before.iter().rposition(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    if before[colon] != b':' {
        return false;
    }
    let before = &before[..colon];
    let Some(close) = before.iter().rposition(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    if before[close] != b'"' {
        return false;
    }
    let key_at = before[..close]
        .iter()
        .rposition(|&b| b == b'"')
        .map_or(0, |q| q + 1);
    is_person_object(&before[key_at..close])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_lowercase() {
        assert!(PERSON_OBJECTS.windows(2).all(|w| w[0] < w[1]));
        assert!(PERSON_OBJECTS
            .iter()
            .all(|p| !p.bytes().any(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn persons_and_their_members() {
        for yes in [
            "profile",
            "Customer",
            "SENDER",
            "account_holder",
            "penerima",
        ] {
            assert!(is_person_object(yes.as_bytes()), "{yes}");
        }
        for no in [
            "product",
            "service",
            "queue",
            "customers",
            "users",
            "",
            "http",
        ] {
            assert!(!is_person_object(no.as_bytes()), "{no}");
        }
        assert_eq!(member_rule(b"Name"), Some(&b"full_name"[..]));
        assert_eq!(member_rule(b"address"), Some(&b"home_address"[..]));
        assert_eq!(member_rule(b"id"), None);
    }

    #[test]
    fn lines_holding_a_persons_object() {
        for yes in [
            r#"{"customer":{"name":"x"}}"#,
            r#"{"a":1, "Profile" : {"name":"x"}}"#,
            r#"{"x":[{"sender":{}}]}"#,
        ] {
            assert_eq!(escapes_and_persons(yes.as_bytes()), (false, true), "{yes}");
        }
        for no in [
            r#"{"customer":"x","name":"y"}"#,
            r#"{"product":{"name":"x"}}"#,
            r#"{"customers":{"name":"x"}}"#,
            r#"{ {"#,
            r#"user:{"#,
            r#"{"#,
        ] {
            assert_eq!(escapes_and_persons(no.as_bytes()), (false, false), "{no}");
        }
        let both = r#"{"user":{"name":"a\"b"}}"#;
        assert_eq!(escapes_and_persons(both.as_bytes()), (true, true));
        let escaped = r#"{"note":"a\"b","user":{}}"#;
        assert!(escapes_and_persons(escaped.as_bytes()).0);
    }
}
