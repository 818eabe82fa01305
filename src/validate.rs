//! Validators: pure checks on candidate bytes. No allocation; digits are gathered into a
//! fixed array. A validator may narrow the span (an IPv6 candidate's trailing `:`, an
//! encoded delimiter in front of an email), never widen it.

use std::net::Ipv6Addr;
use std::sync::OnceLock;

use crate::context::occurrences;

/// A validator named in a pattern file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    /// Accept every candidate.
    None,
    /// Payment card: known IIN range with its lengths, Luhn.
    Card,
    /// Magnetic-stripe track: its first run of digits is a valid card number.
    CardTrack,
    /// 15-digit NPWP: Luhn over the first 9 digits, not a placeholder.
    Npwp15,
    /// 16-digit NPWP: `0` + a valid 15-digit NPWP.
    Npwp16,
    /// NITKU: 22 digits whose first 16 are a valid 16-digit NPWP, or a NIK (an
    /// individual's 16-digit NPWP is the NIK).
    Nitku,
    /// NIK: province, regency, district, birth date, serial.
    Nik,
    /// A NIK glued to its cue (`NIK3273…`): the cue's letters are no part of the span.
    NikGlued,
    /// Any NPWP a cue names: 15 digits as [`Validator::Npwp15`], or 16 as
    /// [`Validator::Npwp16`] or a NIK (a resident's NPWP is their NIK).
    NpwpAny,
    /// IPv4: four octets 0-255 without leading zeros; a `product/` right before it makes it
    /// a version.
    Ipv4,
    /// IPv6: parsed by the standard library parser; trailing `:` trimmed; zone id allowed.
    Ipv6,
    /// Email: host labels and TLD; encoded delimiters trimmed from the local part.
    Email,
    /// An email written out in chat (`budi [at] gmail [dot] com`); see [`email_spelled`].
    EmailSpelled,
    /// MAC address: not a group of a longer colon or dash chain (an IPv6 address, a key
    /// fingerprint), not all zeros or all ones.
    Mac,
    /// IMEI: 15 digits with a Luhn check digit, or a 16-digit IMEISV.
    Imei,
    /// IBAN: a known country, its length, ISO 7064 mod 97 = 1; see [`iban_len`].
    Iban,
    /// Indonesian driving licence (SIM): 12 digits `yymm pp aa ssss` with a real month and
    /// a serial from 0001, or the 14-digit form; see [`sim`].
    Sim,
    /// Passport machine-readable zone, line 2 (ICAO 9303 TD3): its five check digits.
    Mrz,
    /// Passport machine-readable zone, line 1: a name field with the `<<` between surname
    /// and given names.
    MrzName,
    /// Indonesian mobile: NSN `8[1-35-9]` and 9-12 digits.
    PhoneIdMobile,
    /// Indonesian landline: known area code, NSN 7-11 digits.
    PhoneIdLandline,
    /// International `+` number: 7-15 digits.
    PhoneIntl,
    /// JWT: the first segment is base64url of a JSON object that names its `alg`.
    Jwt,
    /// HTTP Basic credentials: base64 of `user:password` (printable, with a colon).
    BasicAuth,
    /// Bearer token: holds a digit or a token symbol (`bearer instrument` is prose).
    Bearer,
    /// A password-looking token: letters and digits mixed, or six or more digits.
    PasswordLike,
    /// A one-time code: a whole digit run, not the first group of a longer number.
    OtpCode,
    /// Bank account numbers after their cue, one or a list (`123…, 456… dan 789…`): each
    /// 8-18 digits, not one digit repeated, no date or address; the span ends after the
    /// last number of the list's valid start.
    BankAccount,
    /// Singapore NRIC/FIN: the check letter (any letter for the M series).
    SgNric,
    /// Malaysia MyKad: 12 digits, a real birth date, a place-of-birth code.
    MyKad,
    /// A name after its cue: the words up to the first common word that is no name (`ya`,
    /// `mau`, `and`); a leading `adalah`/`is` is skipped.
    PersonName,
    /// A name after a form of address (`Pak Budi`, `Kak Rina`, `Mr Smith`): as
    /// [`Validator::PersonName`], and its first word, in any case, is no common word and
    /// nothing else a form of address is put before (`Ibu Kota`, `Pak RT`, `Kak Selamat
    /// pagi`, `saya BCA`).
    TitledName,
    /// NIP, an Indonesian civil servant's number: 18 digits, birth date `yyyymmdd`, the
    /// year and month of appointment `yyyymm` (at 17 or later), sex `1`/`2`, a serial from
    /// `001`; see [`nip`].
    Nip,
    /// An account number in a transfer record with its holder in brackets after it
    /// (`1234567890 (BUDI SANTOSO)`): the number as [`Validator::BankAccount`] and the
    /// bracket holds no status word (`(SUCCESS)`, `(GAGAL)`); see [`holder_in_brackets`].
    AccountBeforeHolder,
    /// The holder in brackets after an account number: no status word, then as
    /// [`Validator::PersonName`].
    HolderInBrackets,
    /// A handle after a network's name: it has an `@`, `_`, `.` or digit, or a `:`, `=`
    /// or possessive word before it; see [`social_handle`].
    SocialHandle,
    /// A handle in a profile link: not one of the network's own pages (`p`, `explore`,
    /// `groups`, ...).
    SocialLink,
    /// A street typed in any case with its house number: the word after the street word
    /// is no common word (`jalan lagi no 3` is "running again", `gang of four no 1`).
    StreetName,
}

impl Validator {
    /// Look a validator up by the name used in pattern files.
    pub fn from_name(name: &str) -> Option<Validator> {
        Some(match name {
            "none" => Validator::None,
            "card" | "luhn-card" => Validator::Card,
            "card-track" => Validator::CardTrack,
            "npwp15" => Validator::Npwp15,
            "npwp16" => Validator::Npwp16,
            "nitku" => Validator::Nitku,
            "nik" => Validator::Nik,
            "nik-glued" => Validator::NikGlued,
            "npwp-any" => Validator::NpwpAny,
            "ipv4" => Validator::Ipv4,
            "ipv6" => Validator::Ipv6,
            "email" => Validator::Email,
            "email-spelled" => Validator::EmailSpelled,
            "phone-id-mobile" => Validator::PhoneIdMobile,
            "phone-id-landline" => Validator::PhoneIdLandline,
            "phone-intl" => Validator::PhoneIntl,
            "jwt" => Validator::Jwt,
            "basic-auth" => Validator::BasicAuth,
            "bearer" => Validator::Bearer,
            "password-like" => Validator::PasswordLike,
            "otp-code" => Validator::OtpCode,
            "bank-account" => Validator::BankAccount,
            "sg-nric" => Validator::SgNric,
            "my-mykad" => Validator::MyKad,
            "person-name" => Validator::PersonName,
            "titled-name" => Validator::TitledName,
            "mac" => Validator::Mac,
            "imei" => Validator::Imei,
            "iban" => Validator::Iban,
            "sim" => Validator::Sim,
            "mrz" => Validator::Mrz,
            "mrz-name" => Validator::MrzName,
            "nip" => Validator::Nip,
            "account-before-holder" => Validator::AccountBeforeHolder,
            "holder-in-brackets" => Validator::HolderInBrackets,
            "social-handle" => Validator::SocialHandle,
            "social-link" => Validator::SocialLink,
            "street-name" => Validator::StreetName,
            _ => return None,
        })
    }

    /// Check the candidate `hay[start..end]`; return the (possibly narrowed) span to redact.
    pub fn check(self, hay: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        let v = &hay[start..end];
        let ok = match self {
            Validator::None => true,
            Validator::Jwt => jwt(v),
            Validator::BasicAuth => basic_auth(v),
            Validator::OtpCode => {
                let before = start.checked_sub(1).map(|i| hay[i]);
                let after = hay.get(end).copied();
                let next = hay.get(end + 1).copied();
                let glued = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
                // A phone number's first group (`OTP dikirim ke 0812 3456 7890`) is at most
                // 4 digits and starts with the trunk prefix 0; another code followed by a
                // number is still a code (`otp 482913 10.1.2.3`, `OTP 4821 0812-…`).
                let group_follows = v.len() <= 4
                    && v.first() == Some(&b'0')
                    && matches!(after, Some(b' ' | b'.' | b'-'))
                    && next.is_some_and(|b| b.is_ascii_digit());
                !(glued(before) || glued(after) || group_follows)
            }
            Validator::PersonName => return person_name(hay, start, end),
            Validator::TitledName => {
                let first = v
                    .iter()
                    .position(|&b| b == b' ' || b == 0xC2)
                    .map_or(v, |n| &v[..n]);
                if word_in(first, NOT_NAMES) || word_in(first, NOT_TITLED_NAMES) {
                    return None;
                }
                return person_name(hay, start, end);
            }
            // Letters and digits mixed, or a number of six or more digits (`password saya
            // 12345678`); words (`password saya sudah diganti`) and dates are no password.
            Validator::PasswordLike => {
                (v.iter().any(u8::is_ascii_alphabetic) && v.iter().any(u8::is_ascii_digit))
                    || (v.len() >= 6 && v.iter().all(u8::is_ascii_digit))
            }
            Validator::Bearer => v.iter().any(|b| {
                b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
            }),
            // "WhatsApp/2.24.1.6", "Chrome/120.0.6099.71": a product token's version.
            Validator::Ipv4 => {
                dotted_quad(v)
                    && !(start >= 2
                        && hay[start - 1] == b'/'
                        && hay[start - 2].is_ascii_alphanumeric())
            }
            Validator::Card => Digits::of(v).is_some_and(|d| card(d.as_slice())),
            Validator::CardTrack => {
                let pan = v.iter().position(u8::is_ascii_digit).map(|i| &v[i..]);
                let pan = pan.map(|p| &p[..p.iter().take_while(|b| b.is_ascii_digit()).count()]);
                pan.and_then(Digits::of).is_some_and(|d| card(d.as_slice()))
            }
            Validator::Npwp15 => Digits::of(v).is_some_and(|d| npwp15(d.as_slice())),
            Validator::Npwp16 => Digits::of(v).is_some_and(|d| npwp16(d.as_slice())),
            Validator::Nitku => Digits::of(v).is_some_and(|d| {
                let d = d.as_slice();
                d.len() == 22 && (npwp16(&d[..16]) || nik(&d[..16]))
            }),
            Validator::Nik => Digits::of(v).is_some_and(|d| nik(d.as_slice())),
            Validator::NikGlued => {
                let skip = v.iter().position(u8::is_ascii_digit)?;
                let ok = Digits::of(&v[skip..])
                    .is_some_and(|d| d.as_slice().len() == 16 && nik(d.as_slice()));
                return ok.then_some((start + skip, end));
            }
            Validator::NpwpAny => Digits::of(v).is_some_and(|d| {
                let d = d.as_slice();
                match d.len() {
                    15 => npwp15(d),
                    16 => npwp16(d) || nik(d),
                    _ => false,
                }
            }),
            Validator::BankAccount => {
                return bank_accounts(v).map(|len| (start, start + len));
            }
            Validator::Nip => Digits::of(v).is_some_and(|d| nip(d.as_slice())),
            Validator::SocialHandle => social_handle(hay, start, end),
            Validator::StreetName => street_name(v),
            Validator::SocialLink => {
                let name = v.strip_prefix(b"@").unwrap_or(v);
                // Facebook's page of a profile by number (`profile.php?id=…`) is the next
                // pattern's.
                !word_in(name, NETWORK_PAGES) && !name.eq_ignore_ascii_case(b"profile.php")
            }
            Validator::AccountBeforeHolder => {
                bank_account(v) && holder_in_brackets(hay.get(end..).unwrap_or_default())
            }
            Validator::HolderInBrackets => {
                let open = start.checked_sub(1)?;
                if !holder_in_brackets(&hay[open..]) {
                    return None;
                }
                return person_name(hay, start, end);
            }
            Validator::SgNric => sg_nric(v),
            Validator::MyKad => Digits::of(v).is_some_and(|d| mykad(d.as_slice())),
            Validator::PhoneIdMobile => Digits::of(plus_code_off(v)).is_some_and(|d| {
                let nsn = national_number(d.as_slice());
                id_mobile_nsn(nsn)
            }),
            Validator::PhoneIdLandline => Digits::of(plus_code_off(v)).is_some_and(|d| {
                let nsn = national_number(d.as_slice());
                id_landline_nsn(nsn)
            }),
            Validator::PhoneIntl => Digits::of(plus_code_off(v)).is_some_and(|d| {
                let d = d.as_slice();
                (7..=15).contains(&d.len()) && !all_same(d)
            }),
            Validator::Ipv6 => return ipv6(v).map(|len| (start, start + len)),
            Validator::Email => return email(v).map(|skip| (start + skip, end)),
            Validator::EmailSpelled => email_spelled(v),
            Validator::Mac => {
                let octets = v.iter().filter(|b| b.is_ascii_hexdigit());
                !chain_group_before(hay, start)
                    && !chain_group_after(hay, end)
                    && !octets.clone().all(|&b| b == b'0')
                    && !octets.clone().all(|b| b.eq_ignore_ascii_case(&b'f'))
            }
            Validator::Imei => Digits::of(v).is_some_and(|d| {
                let d = d.as_slice();
                !all_same(d) && (d.len() == 16 || (d.len() == 15 && luhn(d)))
            }),
            Validator::Iban => return iban_len(v).map(|len| (start, start + len)),
            Validator::Sim => Digits::of(v).is_some_and(|d| sim(d.as_slice())),
            Validator::Mrz => mrz_line2(v),
            Validator::MrzName => {
                v.windows(2).any(|w| w == b"<<")
                    && v.get(5).is_some_and(u8::is_ascii_uppercase)
                    && hay
                        .get(end)
                        .is_none_or(|&b| !(b.is_ascii_alphanumeric() || b == b'<'))
            }
        };
        ok.then_some((start, end))
    }
}

/// A phone number without its `+` percent-encoded (`%2B62…`, `%252B62…` encoded twice):
/// the code's digit is none of the number's.
fn plus_code_off(v: &[u8]) -> &[u8] {
    for code in [&b"%2B"[..], b"%252B"] {
        if v.len() > code.len() && v[..code.len()].eq_ignore_ascii_case(code) {
            return &v[code.len()..];
        }
    }
    v
}

/// Is there a group of a `:`/`-` chain right before `start` (`fe80:` of an IPv6 address):
/// a separator, and before it 1-4 hex digits that start a token, or a word before a `-`?
/// A key before its `:` (`mac:`, `hwaddr:`) is a word, no group.
fn chain_group_before(hay: &[u8], start: usize) -> bool {
    let Some(sep) = start.checked_sub(1) else {
        return false;
    };
    match hay[sep] {
        // A word joined by a dash is one token (`backup-24-01-15-10-30-45.tgz`).
        b'-' if sep > 0 && hay[sep - 1].is_ascii_alphanumeric() => return true,
        b':' | b'-' => {}
        _ => return false,
    }
    let run = hay[..sep]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    (1..=4).contains(&run) && (run == sep || !hay[sep - run - 1].is_ascii_alphanumeric())
}

/// Is there a group of a `:`/`-` chain right after `end` (`:6F` of a seventh octet)? A
/// separator followed by a blank or the end is punctuation (`… 00:1A:2B:3C:4D:5E: refused`).
fn chain_group_after(hay: &[u8], end: usize) -> bool {
    if !hay.get(end).is_some_and(|b| matches!(b, b':' | b'-')) {
        return false;
    }
    let rest = &hay[end + 1..];
    let run = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    (1..=4).contains(&run) && rest.get(run).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// A SIM number: 12 digits whose second pair is a month and whose serial is not 0000, or
/// 14 digits; not one digit repeated.
fn sim(d: &[u8]) -> bool {
    match d.len() {
        12 => (1..=12).contains(&num(&d[2..4])) && num(&d[8..]) != 0 && !all_same(d),
        14 => !all_same(d),
        _ => false,
    }
}

/// ICAO 9303 check digit over `field`: `0-9` as themselves, `A-Z` as 10-35, `<` as 0,
/// weights 7, 3, 1 repeating, sum mod 10.
fn mrz_check<'a>(field: impl IntoIterator<Item = &'a u8>) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &b) in field.into_iter().enumerate() {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

/// Line 2 of a passport's machine-readable zone (44 characters): the check digits of the
/// document number, the birth date, the expiry date, the optional data (`<` when it is
/// all filler) and the composite one over all of those hold.
fn mrz_line2(v: &[u8]) -> bool {
    if v.len() != 44 {
        return false;
    }
    let digit = |i: usize| v[i].is_ascii_digit().then(|| v[i] - b'0');
    let holds = |field: &[u8], at: usize| mrz_check(field).is_some_and(|c| Some(c) == digit(at));
    let optional = &v[28..42];
    let optional_ok = holds(optional, 42) || (v[42] == b'<' && optional.iter().all(|&b| b == b'<'));
    let composite = v[0..10].iter().chain(&v[13..20]).chain(&v[21..43]);
    holds(&v[0..9], 9)
        && holds(&v[13..19], 19)
        && holds(&v[21..27], 27)
        && optional_ok
        && mrz_check(composite).is_some_and(|c| Some(c) == digit(43))
}

/// IBAN length by country (ISO 13616, the SWIFT IBAN registry).
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NL", 18),
    (b"NO", 15),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
];

/// An IBAN at the start of `v` (groups of its characters, single spaces between them): the
/// length of the part that is one, when its country is known, it has that country's length
/// and its check digits hold (the number with its first four characters moved to the end,
/// letters as 10-35, is 1 mod 97). A longer match (the regex took the next word too) is cut
/// at the country's length, where a group ends.
fn iban_len(v: &[u8]) -> Option<usize> {
    let country = v.get(..2)?;
    let &(_, want) = IBAN_LENGTHS.iter().find(|(c, _)| &c[..] == country)?;
    let mut chars = 0;
    let mut cut = None;
    for (i, &b) in v.iter().enumerate() {
        if b == b' ' {
            continue;
        }
        chars += 1;
        if chars == want {
            cut = Some(i + 1);
            break;
        }
    }
    let cut = cut?;
    if v.get(cut).is_some_and(|&b| b != b' ') {
        return None;
    }
    let body = v[..cut].iter().filter(|&&b| b != b' ');
    let mut rem = 0u32;
    for &b in body.clone().skip(4).chain(body.take(4)) {
        rem = match b {
            b'0'..=b'9' => (rem * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return None,
        };
    }
    (rem == 1).then_some(cut)
}

/// Top-level domains an address spelled with a bare `at` must end with (prose such as `look
/// at the dot product` has words there).
const SPELLED_TLDS: &[&[u8]] = &[
    b"au", b"biz", b"cn", b"co", b"com", b"de", b"edu", b"gov", b"id", b"in", b"info", b"io",
    b"jp", b"me", b"my", b"net", b"nl", b"org", b"ph", b"sg", b"th", b"uk", b"us", b"vn",
];

/// An email spelled out in chat (`budi [at] gmail [dot] com`, `siti et yahoo titik co
/// titik id`): the local part holds a letter (not a time before an `[ET]` zone), and after
/// the at something is spelled out, in brackets or as the word `dot`/`titik` (prose with a
/// plain `at` before a file or host name, `error at line.py`, has neither). With a bare
/// `at`, the address ends with a common top-level domain.
fn email_spelled(v: &[u8]) -> bool {
    let at = v
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'[' | b'(' | b'{'))
        .unwrap_or(v.len());
    let (local, rest) = v.split_at(at);
    if !local.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let rest = rest.trim_ascii_start();
    let bracket = |b: &[u8]| b.iter().any(|c| matches!(c, b'[' | b'(' | b'{'));
    let words = || rest.split(|&b| b == b' ' || b == b'\t');
    let spelled_dot = words()
        .skip(1)
        .any(|w| w.eq_ignore_ascii_case(b"dot") || w.eq_ignore_ascii_case(b"titik"));
    if bracket(rest.get(..4).unwrap_or(rest)) {
        // The at in brackets.
        return true;
    }
    let tld = v.rsplit(|b| !b.is_ascii_alphabetic()).next().unwrap_or(&[]);
    (spelled_dot || bracket(rest)) && SPELLED_TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld))
}

/// Up to 32 ASCII digits gathered from a candidate, separators skipped.
pub struct Digits {
    buf: [u8; 32],
    len: usize,
}

impl Digits {
    /// Gather the digits of `v`; `None` when there are more than 32.
    pub fn of(v: &[u8]) -> Option<Digits> {
        let mut d = Digits {
            buf: [0; 32],
            len: 0,
        };
        for &b in v {
            if b.is_ascii_digit() {
                *d.buf.get_mut(d.len)? = b - b'0';
                d.len += 1;
            }
        }
        Some(d)
    }

    /// The digits as values 0-9.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The value of one base64 (or base64url) digit.
fn b64_digit(b: u8) -> Option<u32> {
    Some(u32::from(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    }))
}

/// Decode up to `out.len()` bytes of base64 (padding ignored); returns how many were written,
/// or `None` on a byte outside the alphabet.
fn b64_decode(text: &[u8], out: &mut [u8]) -> Option<usize> {
    let mut acc = 0u32;
    let mut bits = 0;
    let mut n = 0;
    for &b in text.iter().take_while(|&&b| b != b'=') {
        acc = (acc << 6) | b64_digit(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if n == out.len() {
                return Some(n);
            }
            out[n] = (acc >> bits) as u8;
            n += 1;
        }
    }
    Some(n)
}

/// A JWT header: base64url of a JSON object with an `alg` member.
fn jwt(v: &[u8]) -> bool {
    let header = v.split(|&b| b == b'.').next().unwrap_or_default();
    let mut buf = [0u8; 512];
    match b64_decode(header, &mut buf) {
        Some(n) => {
            let h = &buf[..n];
            h.first() == Some(&b'{') && memchr::memmem::find(h, b"\"alg\"").is_some()
        }
        None => false,
    }
}

/// Basic credentials: base64 of printable `user:password`.
fn basic_auth(v: &[u8]) -> bool {
    let mut buf = [0u8; 768];
    match b64_decode(v, &mut buf) {
        Some(n) if n >= 3 => {
            let d = &buf[..n];
            d.iter().all(|&b| (0x20..0x7f).contains(&b) || b >= 0x80) && d.contains(&b':')
        }
        _ => false,
    }
}

/// Luhn over digit values (rightmost is the check digit).
pub fn luhn(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut x = u32::from(x);
        if i % 2 == 1 {
            x *= 2;
            if x > 9 {
                x -= 9;
            }
        }
        sum += x;
    }
    sum.is_multiple_of(10)
}

fn all_same(d: &[u8]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |acc, &x| acc * 10 + u32::from(x))
}

/// Payment card number: IIN + allowed length + Luhn.
pub fn card(d: &[u8]) -> bool {
    let n = d.len();
    if !(12..=19).contains(&n) || all_same(d) || !luhn(d) {
        return false;
    }
    let p2 = num(&d[..2]);
    let p3 = num(&d[..3]);
    let p4 = num(&d[..4]);
    match d[0] {
        4 => matches!(n, 13 | 16 | 18 | 19),
        5 => (51..=55).contains(&p2) && n == 16,
        2 => (2221..=2720).contains(&p4) && n == 16,
        3 => {
            ((p2 == 34 || p2 == 37) && n == 15)
                || ((3528..=3589).contains(&p4) && n >= 16)
                || (((300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39) && n >= 14)
        }
        6 => {
            // UnionPay 62 at 16-19 digits only: shorter 62... runs are Indonesian phone numbers.
            n >= 16 && (p2 == 62 || p4 == 6011 || (644..=649).contains(&p3) || p2 == 65)
        }
        9 => p4 == 9360 && n >= 16,
        _ => false,
    }
}

/// 15-digit NPWP: not a placeholder, Luhn over the first nine digits.
pub fn npwp15(d: &[u8]) -> bool {
    d.len() == 15 && !all_same(d) && luhn(&d[..9])
}

/// 16-digit entity NPWP: a leading `0` and a valid 15-digit NPWP.
pub fn npwp16(d: &[u8]) -> bool {
    d.len() == 16 && d[0] == 0 && npwp15(&d[1..])
}

const PROVINCES: &[u32] = &[
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
];

/// NIK structure: province, regency, district, birth date (+40 for women), serial.
pub fn nik(d: &[u8]) -> bool {
    if d.len() != 16 || all_same(d) {
        return false;
    }
    let province = num(&d[0..2]);
    let regency = num(&d[2..4]);
    let district = num(&d[4..6]);
    let mut day = num(&d[6..8]);
    let month = num(&d[8..10]);
    let year = num(&d[10..12]);
    let serial = num(&d[12..16]);
    if !PROVINCES.contains(&province)
        || !((1..=36).contains(&regency) || (71..=79).contains(&regency))
        || district == 0
        || serial == 0
    {
        return false;
    }
    if day > 40 {
        day -= 40;
    }
    // 19yy and 20yy share leap years except 1900/2000; 2000 is one, so yy % 4 decides.
    days_in_month(month, year.is_multiple_of(4)).is_some_and(|days| (1..=days).contains(&day))
}

/// The days of `month` (1-12) in a leap year or not; `None` for no month.
fn days_in_month(month: u32, leap: bool) -> Option<u32> {
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

/// NIP structure (Peraturan BKN): birth date `yyyymmdd` (1940-2012), appointment
/// `yyyymm` at 17 or later and not after 2035, sex `1` or `2`, serial `001`-`999`.
fn nip(d: &[u8]) -> bool {
    if d.len() != 18 {
        return false;
    }
    let (year, month, day) = (num(&d[0..4]), num(&d[4..6]), num(&d[6..8]));
    let (hired, hired_month) = (num(&d[8..12]), num(&d[12..14]));
    // Within 1940-2012 a year divisible by 4 is a leap year (2000 is one).
    let Some(days) = days_in_month(month, year.is_multiple_of(4)) else {
        return false;
    };
    (1940..=2012).contains(&year)
        && (1..=days).contains(&day)
        && (year + 17..=2035).contains(&hired)
        && (1..=12).contains(&hired_month)
        && matches!(d[14], 1 | 2)
        && num(&d[15..18]) != 0
}

/// Is the word `hay[start..end]` after a network's name its handle? It has an `@`, `_`,
/// `.` or digit, or a `:`/`=` or a possessive (`saya`, `my`, `nya`) comes before it.
fn social_handle(hay: &[u8], start: usize, end: usize) -> bool {
    let v = &hay[start..end];
    if v.iter()
        .any(|&b| matches!(b, b'@' | b'_' | b'.') || b.is_ascii_digit())
    {
        return true;
    }
    let before = &hay[..start];
    let word_end = before.len()
        - before
            .iter()
            .rev()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
    let word = &before[..word_end];
    if matches!(word.last(), Some(b':' | b'=')) {
        return true;
    }
    let word_start = word
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    word_in(&word[word_start..], POSSESSIVES)
}

/// Words between a network's name and a handle that make the next word the handle.
const POSSESSIVES: &[&str] = &[
    "aku", "gue", "gw", "is", "kami", "kita", "ku", "my", "nya", "saya", "sy",
];

/// A network's own pages in a profile link (compared in lower case): no handle.
const NETWORK_PAGES: &[&str] = &[
    "about",
    "accounts",
    "events",
    "explore",
    "gaming",
    "groups",
    "hashtag",
    "help",
    "home",
    "i",
    "intent",
    "joinchat",
    "live",
    "login",
    "marketplace",
    "p",
    "pages",
    "photo",
    "policies",
    "privacy",
    "profile",
    "reel",
    "reels",
    "search",
    "settings",
    "share",
    "sharer",
    "signup",
    "stories",
    "tag",
    "terms",
    "tv",
    "video",
    "watch",
];

/// Is the word after the street word of `v` (`jl`, `jalan`, `gang`, then `.` or blanks)
/// no common word?
fn street_name(v: &[u8]) -> bool {
    let cue = v.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let rest = &v[cue..];
    let skip = rest.iter().take_while(|&&b| b == b'.' || b == b' ').count();
    let word = &rest[skip..];
    let len = word.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    !(word_in(&word[..len], NOT_NAMES) || word_in(&word[..len], NOT_STREETS))
}

/// Words after `jalan` or `gang` in lower case that make them no street (`jalan terus`,
/// "keeps going"; `gang of four`), besides [`NOT_NAMES`]. Sorted (binary search).
const NOT_STREETS: &[&str] = &[
    "bareng", "kaki", "keluar", "lancar", "macet", "malam", "masuk", "normal", "of", "pagi",
    "pulang", "santai", "sore", "terus",
];

/// Words a transfer or payment record puts in brackets after a number that are its
/// status, not its holder. Sorted (binary search).
const STATUS_WORDS: &[&str] = &[
    "approved",
    "batal",
    "berhasil",
    "canceled",
    "cancelled",
    "declined",
    "done",
    "error",
    "expired",
    "failed",
    "gagal",
    "menunggu",
    "ok",
    "paid",
    "pending",
    "processing",
    "proses",
    "refund",
    "refunded",
    "rejected",
    "reversed",
    "settled",
    "success",
    "successful",
    "sukses",
    "timeout",
];

/// `tail` starts with a bracket of words (at `(`, after blanks): is none of them a
/// status word, a bank's name or another word a title never names (`(BCA)`)? A tail that holds no bracket is no holder.
fn holder_in_brackets(tail: &[u8]) -> bool {
    let open = tail.iter().take_while(|&&b| b == b' ').count();
    if tail.get(open) != Some(&b'(') {
        return false;
    }
    let inner = &tail[open + 1..];
    let close = inner.iter().position(|&b| b == b')').unwrap_or(inner.len());
    !inner[..close]
        .split(|&b| b == b' ')
        .any(|w| word_in(w, STATUS_WORDS) || word_in(w, NOT_TITLED_NAMES))
}

/// Is a cue's digit run something else: a date (`2024-01-15`, `15-01-2024` with a time or
/// nothing after it, `20240115`), an IPv4 address, a version (`1.2.3.4.5`) or a decimal
/// (`0.98765432` after `acc:`)? Then it is no account number.
fn date_or_ip(v: &[u8]) -> bool {
    let digits = |r: std::ops::Range<usize>| v[r].iter().all(u8::is_ascii_digit);
    let year = |r: std::ops::Range<usize>| {
        digits(r.clone()) && (v[r.start..].starts_with(b"19") || v[r.start..].starts_with(b"20"))
    };
    let month =
        |r: std::ops::Range<usize>| digits(r.clone()) && (1..=12).contains(&num_ascii(&v[r]));
    let day = |r: std::ops::Range<usize>| digits(r.clone()) && (1..=31).contains(&num_ascii(&v[r]));
    let ends = |i: usize| v.len() == i || v[i] == b' ';
    let sep = |a: usize, b: usize| matches!(v[a], b'-' | b'.' | b'/') && v[b] == v[a];
    let date = v.len() >= 10
        && ends(10)
        && ((year(0..4) && sep(4, 7) && month(5..7) && day(8..10))
            || (day(0..2) && sep(2, 5) && month(3..5) && year(6..10)));
    let compact = v.len() == 8 && year(0..4) && month(4..6) && day(6..8);
    // Groups of digits between dots (no other separator): how many, the longest, the
    // first's length, whether each is an octet.
    let (mut n, mut longest, mut first, mut octets, mut dotted) = (0, 0, 0, true, true);
    for g in v.split(|&b| b == b'.') {
        dotted &= !g.is_empty() && g.iter().all(u8::is_ascii_digit);
        if !dotted {
            break;
        }
        if n == 0 {
            first = g.len();
        }
        n += 1;
        longest = longest.max(g.len());
        octets &= g.len() <= 3 && num_ascii(g) <= 255;
    }
    let dotted = dotted && n > 1;
    let ip = dotted && n == 4 && octets;
    let version = dotted && n >= 3 && longest <= 2;
    let decimal = dotted && n == 2 && first <= 3;
    date || compact || ip || version || decimal
}

/// One bank account number: 8-18 digits, not one digit repeated, no date or IP address.
fn bank_account(n: &[u8]) -> bool {
    !date_or_ip(n)
        && !amount(n)
        && Digits::of(n).is_some_and(|d| {
            let d = d.as_slice();
            (8..=18).contains(&d.len()) && !all_same(d)
        })
}

/// A sum of money after an account cue (`saldo rekening saya 15.250.000`, `tf ke kamu
/// 25000000`): thousands after a head of one or two digits, or five zeros at the end.
fn amount(n: &[u8]) -> bool {
    let mut groups = n.split(|&b| b == b'.');
    let digits = |g: &[u8]| g.iter().all(u8::is_ascii_digit);
    let thousands = n.contains(&b'.')
        && groups
            .next()
            .is_some_and(|h| (1..=2).contains(&h.len()) && digits(h))
        && groups.all(|g| g.len() == 3 && digits(g));
    thousands || n.ends_with(b"00000")
}

/// The length of the valid start of a list of account numbers (digits with single
/// blanks, dots or dashes between them), joined by `,` `/` `&` `dan` `atau` `and` `or`
/// with blanks around; `None` when the first number is no account.
fn bank_accounts(v: &[u8]) -> Option<usize> {
    let digit = |i: usize| v.get(i).is_some_and(u8::is_ascii_digit);
    let blanks = |mut i: usize| {
        while matches!(v.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    let mut valid = None;
    let mut at = 0;
    while digit(at) {
        let mut end = at + 1;
        loop {
            if digit(end) {
                end += 1;
            } else if matches!(v.get(end), Some(b' ' | b'.' | b'-')) && digit(end + 1) {
                end += 2;
            } else {
                break;
            }
        }
        if !bank_account(&v[at..end]) {
            break;
        }
        valid = Some(end);
        let sep = blanks(end);
        let word = |w: &[u8]| {
            v.get(sep..sep + w.len())
                .is_some_and(|x| x.eq_ignore_ascii_case(w))
        };
        let after = match v.get(sep) {
            Some(b',' | b'/' | b'&') => sep + 1,
            _ => match [&b"dan"[..], b"atau", b"and", b"or"]
                .into_iter()
                .find(|w| word(w))
            {
                Some(w) => sep + w.len(),
                None => break,
            },
        };
        at = blanks(after);
    }
    valid
}

/// The value of ASCII digits.
fn num_ascii(d: &[u8]) -> u32 {
    d.iter().fold(0, |n, &b| n * 10 + u32::from(b - b'0'))
}

/// Singapore NRIC/FIN `@ddddddd#`: weights 2 7 6 5 4 3 2, an offset by prefix, the check
/// letter from the prefix's table; an M number is taken with any letter of its table.
fn sg_nric(v: &[u8]) -> bool {
    let [prefix, digits @ .., check] = v else {
        return false;
    };
    if digits.len() != 7 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (offset, table): (u32, &[u8; 11]) = match prefix.to_ascii_uppercase() {
        b'S' => (0, b"JZIHGFEDCBA"),
        b'T' => (4, b"JZIHGFEDCBA"),
        b'F' => (0, b"XWUTRQPNMLK"),
        b'G' => (4, b"XWUTRQPNMLK"),
        // The M rule is community-derived: any letter of its table is taken.
        b'M' => return b"KLJNPQRTUWX".contains(&check.to_ascii_uppercase()),
        _ => return false,
    };
    let sum: u32 = digits
        .iter()
        .zip([2, 7, 6, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    table[((sum + offset) % 11) as usize] == check.to_ascii_uppercase()
}

/// Malaysian place-of-birth codes (JPN table): states 01-16, 21-59; abroad 60-68, 71, 72,
/// 74-79, 82-93, 98, 99.
fn mykad_place(pb: u32) -> bool {
    matches!(pb, 1..=16 | 21..=59 | 60..=68 | 71 | 72 | 74..=79 | 82..=93 | 98 | 99)
}

/// MyKad `YYMMDD PB ###G`: a real date (yy % 4 decides leap years; 2000 was one) and a
/// known place-of-birth code.
fn mykad(d: &[u8]) -> bool {
    if d.len() != 12 {
        return false;
    }
    let (year, month, day) = (num(&d[0..2]), num(&d[2..4]), num(&d[4..6]));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day) && mykad_place(num(&d[6..8]))
}

/// Four decimal octets 0-255 joined by dots, none with a leading zero (`_` around them
/// is the match's boundary, not part of the address). The pattern only finds dotted runs of
/// up to three digits: octet values are checked here, which keeps their alternatives out of
/// the main automaton (each value range multiplied its states on text with numbers).
fn dotted_quad(v: &[u8]) -> bool {
    let v = v.strip_prefix(b"_").unwrap_or(v);
    let v = v.strip_suffix(b"_").unwrap_or(v);
    let mut parts = 0;
    for octet in v.split(|&b| b == b'.') {
        parts += 1;
        let ok = match octet {
            [d] => d.is_ascii_digit(),
            [b'1'..=b'9', d] => d.is_ascii_digit(),
            [b'1'..=b'2', _, _] => octet.iter().all(u8::is_ascii_digit) && num_ascii(octet) <= 255,
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    parts == 4
}

/// Words that introduce a name (`nama saya adalah Budi`), a possessive after a cue (`nama
/// ibu kandung sy Sri`, "my mother's maiden name") and forms of address before one (`a/n
/// Bu Siti`, `atas nama Pak Budi`): skipped before it, in any case.
const NAME_LEADS: &[&str] = &[
    "adalah", "aku", "bang", "bapak", "bernama", "bpk", "bu", "gue", "gw", "ialah", "ibu", "is",
    "kak", "mas", "mbak", "mr", "mrs", "ms", "pak", "saya", "sdr", "sdri", "sy", "yaitu", "yakni",
];

/// Common words that end a name written in lower case (`nama saya budi santoso ya kak`,
/// `a/n rina mau tanya`): Indonesian and English function words, chat particles, forms of
/// address, the verbs that follow a name in chat, and English words that follow the article
/// `an` after a number (`paid 25000000 an hour`). Sorted (binary search).
const NOT_NAMES: &[&str] = &[
    "account",
    "additional",
    "aja",
    "akan",
    "aku",
    "akun",
    "alamat",
    "amount",
    "and",
    "apa",
    "atau",
    "average",
    "bang",
    "bank",
    "baru",
    "belum",
    "benar",
    "bisa",
    "bro",
    "bu",
    "buat",
    "bukan",
    "but",
    "dan",
    "dari",
    "deh",
    "dengan",
    "di",
    "dong",
    "email",
    "error",
    "estimated",
    "extra",
    "from",
    "ga",
    "gak",
    "gan",
    "hour",
    "hours",
    "hp",
    "i",
    "in",
    "ingin",
    "ini",
    "invalid",
    "is",
    "issue",
    "item",
    "itu",
    "jadi",
    "juga",
    "ka",
    "kak",
    "kakak",
    "kan",
    "kandung",
    "kasih",
    "ke",
    "kk",
    "lagi",
    "mas",
    "mau",
    "mba",
    "mbak",
    "min",
    "minta",
    "mohon",
    "my",
    "nasabah",
    "nggak",
    "nih",
    "no",
    "nomer",
    "nomor",
    "not",
    "ok",
    "oke",
    "on",
    "or",
    "order",
    "pak",
    "paket",
    "pemilik",
    "penerima",
    "please",
    "rekening",
    "saya",
    "sendiri",
    "sih",
    "sis",
    "sudah",
    "sy",
    "tanya",
    "terima",
    "thank",
    "thanks",
    "the",
    "tidak",
    "tinggal",
    "to",
    "tolong",
    "transfer",
    "tuh",
    "udah",
    "unexpected",
    "untuk",
    "update",
    "utk",
    "wa",
    "with",
    "ya",
    "yah",
    "yang",
];

/// Capitalised words that follow a form of address and are no name: titles and posts
/// (`Pak RT`, `Bu Guru`, `Ibu Kota`), greetings and requests in a CS agent's reply (`Halo Kak
/// Selamat pagi`, `Baik Pak Mohon ditunggu`), and the banks and wallets that follow `saya`
/// (`rekening saya BCA`), the roles of a transcript's lines (`[10:02] Agent:`), and the
/// services an ops chat greets as it would a person (`this is Kafka here`, `[10:02] Nginx:
/// reload`), a log's words after a time (`[10:02] Warning:`, `[12:00] Cron:`), and what
/// follows an English title that is none (`Cache Miss Rate`). Sorted (binary search).
const NOT_TITLED_NAMES: &[&str] = &[
    "admin",
    "agent",
    "airflow",
    "alert",
    "all",
    "ansible",
    "apache",
    "apakah",
    "api",
    "app",
    "auth",
    "backup",
    "baik",
    "bca",
    "bisa",
    "bni",
    "boleh",
    "bot",
    "bri",
    "bsi",
    "btn",
    "build",
    "cache",
    "camat",
    "cassandra",
    "celery",
    "cimb",
    "consul",
    "critical",
    "cron",
    "cs",
    "customer",
    "dana",
    "danamon",
    "db",
    "dear",
    "debug",
    "deploy",
    "direktur",
    "docker",
    "dokter",
    "elastic",
    "elasticsearch",
    "error",
    "everyone",
    "fatal",
    "fluentd",
    "friends",
    "gopay",
    "grafana",
    "guru",
    "guys",
    "hai",
    "halo",
    "haproxy",
    "health",
    "hello",
    "hi",
    "hit",
    "info",
    "jenius",
    "jenkins",
    "jira",
    "job",
    "kafka",
    "kakak",
    "kibana",
    "kota",
    "kubernetes",
    "kurir",
    "linkaja",
    "logstash",
    "lurah",
    "maaf",
    "madam",
    "manager",
    "mandiri",
    "mohon",
    "mongo",
    "mongodb",
    "monitor",
    "mysql",
    "nginx",
    "note",
    "notice",
    "ocbc",
    "operator",
    "ovo",
    "pelanggan",
    "permata",
    "postgres",
    "presiden",
    "prometheus",
    "pt",
    "queue",
    "rabbitmq",
    "rate",
    "redis",
    "release",
    "reminder",
    "rt",
    "rw",
    "satpam",
    "scheduler",
    "selamat",
    "semua",
    "sentry",
    "server",
    "shopeepay",
    "silahkan",
    "silakan",
    "sir",
    "sistem",
    "slack",
    "sobat",
    "spark",
    "status",
    "sudah",
    "support",
    "sync",
    "system",
    "task",
    "team",
    "teman",
    "terima",
    "terraform",
    "thank",
    "thanks",
    "there",
    "tim",
    "traefik",
    "update",
    "user",
    "vault",
    "vector",
    "warn",
    "warning",
    "worker",
    "world",
    "zookeeper",
];

/// Is `word`, in any case, in `list` (sorted, lower case)? Words over 32 bytes never are.
pub(crate) fn word_in(word: &[u8], list: &[&str]) -> bool {
    let mut buf = [0u8; 32];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    list.binary_search_by(|w| w.as_bytes().cmp(lower)).is_ok()
}

/// The name in the candidate `hay[start..end]` (words separated by single blanks): from
/// the first word that is no lead-in to the first common word after it. Only a word in
/// lower case is taken for a common word (`a/n Wa Ode`, `Chen Yang` are names). A last word
/// glued to an address or a token (`budi@mail.com`, `budi.s@…`) is left to its detector.
fn person_name(hay: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let common = |w: &[u8]| w.first().is_some_and(u8::is_ascii_lowercase) && word_in(w, NOT_NAMES);
    let glued = matches!(hay.get(end), Some(b'@' | b'.' | b'_' | b'%' | b'+' | b'-'))
        && hay.get(end + 1).is_some_and(u8::is_ascii_alphanumeric);
    let mut name: Option<(usize, usize)> = None;
    let mut at = start;
    while at <= end {
        // Words are apart by a space or a no-break space (C2 A0; the regex lets no other
        // non-ASCII byte into a name).
        let (s, e) = (
            at,
            at + hay[at..end]
                .iter()
                .position(|&b| b == b' ' || b == 0xC2)
                .unwrap_or(end - at),
        );
        at = e + if hay.get(e) == Some(&0xC2) { 2 } else { 1 };
        let word = &hay[s..e];
        if glued && e == end {
            break;
        }
        match name {
            None if word_in(word, NAME_LEADS) => continue,
            None if common(word) => return None,
            None => name = Some((s, e)),
            Some(_) if common(word) => break,
            Some((ns, _)) => name = Some((ns, e)),
        }
    }
    name
}

/// Strip the country code / trunk prefix: `0062…`, `62…`, `620…`, `0…` → the national number.
fn national_number(d: &[u8]) -> &[u8] {
    let d = if d.starts_with(&[0, 0, 6, 2]) {
        &d[2..]
    } else {
        d
    };
    if let Some(rest) = d.strip_prefix(&[6, 2]) {
        rest.strip_prefix(&[0]).unwrap_or(rest)
    } else {
        d.strip_prefix(&[0]).unwrap_or(d)
    }
}

fn id_mobile_nsn(nsn: &[u8]) -> bool {
    (9..=12).contains(&nsn.len()) && nsn[0] == 8 && matches!(nsn[1], 1..=3 | 5..=9)
}

fn id_landline_nsn(nsn: &[u8]) -> bool {
    if !(7..=11).contains(&nsn.len()) {
        return false;
    }
    let codes = area_codes();
    let area = if codes.two[num(&nsn[..2]) as usize] {
        2
    } else if codes.three[num(&nsn[..3]) as usize] {
        3
    } else {
        return false;
    };
    (5..=8).contains(&(nsn.len() - area))
}

struct AreaCodes {
    two: [bool; 100],
    three: [bool; 1000],
}

fn area_codes() -> &'static AreaCodes {
    static CODES: OnceLock<AreaCodes> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut codes = AreaCodes {
            two: [false; 100],
            three: [false; 1000],
        };
        let table = include_str!("../patterns/data/id_landline_area_codes.txt");
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let code = line.split('\t').next().unwrap_or("");
            match (code.len(), code.parse::<usize>()) {
                (2, Ok(n)) => codes.two[n] = true,
                (3, Ok(n)) => codes.three[n] = true,
                _ => {}
            }
        }
        codes
    })
}

/// IPv6: returns the accepted length (a trailing `:` may be trimmed).
fn ipv6(v: &[u8]) -> Option<usize> {
    let parses = |v: &[u8]| -> bool {
        let addr = match v.iter().position(|&b| b == b'%') {
            Some(i) => &v[..i],
            None => v,
        };
        addr.iter().any(u8::is_ascii_hexdigit)
            && std::str::from_utf8(addr).is_ok_and(|s| s.parse::<Ipv6Addr>().is_ok())
    };
    if parses(v) {
        return Some(v.len());
    }
    // "2001:db8::1:" at the end of a clause: the colon is punctuation.
    if v.ends_with(b":") && !v.ends_with(b"::") && parses(&v[..v.len() - 1]) {
        return Some(v.len() - 1);
    }
    None
}

/// Email: returns how many bytes to skip at the front (an encoded delimiter such as `%3D`
/// in front of the local part belongs to the URL, not the address).
/// File name extensions that are no top-level domain (`logo@2x.png` is an image).
fn file_extension(tld: &[u8]) -> bool {
    const EXT: &[&[u8]] = &[
        b"png", b"jpg", b"jpeg", b"gif", b"svg", b"webp", b"ico", b"bmp", b"css", b"js", b"map",
        b"json", b"html", b"htm", b"php", b"txt", b"pdf", b"woff", b"woff2",
    ];
    EXT.iter().any(|e| e.eq_ignore_ascii_case(tld))
}

fn email(v: &[u8]) -> Option<usize> {
    // An HTML-escaped @ is looked for only when there is no @ (most candidates have one).
    let entity = || {
        [&b"&#64;"[..], b"&#x40;", b"&commat;"]
            .iter()
            .find_map(|e| occurrences(v, e).next().map(|i| (i, i + e.len())))
    };
    let (local_end, domain_start) = match v.iter().rposition(|&b| b == b'@') {
        Some(i) => (i, i + 1),
        None => entity()
            .or_else(|| occurrences(v, b"%2540").next().map(|i| (i, i + 5)))
            .or_else(|| occurrences(v, b"%40").next().map(|i| (i, i + 3)))?,
    };
    let local = &v[..local_end];
    let mut skip = 0;
    let mut i = 0;
    while i + 2 < local.len() {
        if local[i] == b'%' {
            if let Some(b) = hex_byte(local[i + 1], local[i + 2]) {
                if b"=&?/:;, \"'<>()[]{}\\|#".contains(&b) {
                    skip = i + 3;
                }
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    if skip >= local.len() || local[skip] == b'.' {
        return None;
    }
    let domain = &v[domain_start..];
    let mut labels = domain.split(|&b| b == b'.').peekable();
    let mut count = 0;
    while let Some(label) = labels.next() {
        count += 1;
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return None;
        }
        if labels.peek().is_none() {
            let tld_ok = (label.iter().all(u8::is_ascii_alphabetic) && !file_extension(label))
                || (label.len() > 4 && label[..4].eq_ignore_ascii_case(b"xn--"));
            if !tld_ok || count < 2 {
                return None;
            }
        }
    }
    Some(skip)
}

fn hex_byte(hi: u8, lo: u8) -> Option<u8> {
    let h = (hi as char).to_digit(16)?;
    let l = (lo as char).to_digit(16)?;
    Some((h * 16 + l) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect()
    }

    #[test]
    fn bank_account_lists() {
        let len = |v: &str| bank_accounts(v.as_bytes());
        assert_eq!(len("1234567890"), Some(10));
        assert_eq!(len("123 456 7890"), Some(12));
        assert_eq!(len("1234567890, 0987654321 dan 1122334455"), Some(37));
        assert_eq!(len("1234567890 / 0987654321"), Some(23));
        assert_eq!(len("1234567890 ATAU 0987654321"), Some(26));
        // The list ends before a number that is no account.
        assert_eq!(len("1234567890, 2024-01-15 12"), Some(10));
        assert_eq!(len("1234567890, 0000000000, 0987654321"), Some(10));
        assert_eq!(len("1234567"), None);
        // Sums of money are no accounts; an account in dotted threes is.
        assert_eq!(len("15.250.000"), None);
        assert_eq!(len("25000000"), None);
        assert_eq!(len("693.810.000.123"), Some(15));
        assert_eq!(len("2024-01-15 12, 1234567890"), None);
    }

    #[test]
    fn nip_structure() {
        let ok = |v: &str| nip(Digits::of(v.as_bytes()).unwrap().as_slice());
        assert!(ok("198703122010011002"));
        // 29 February in a leap year; a woman; appointed at 17.
        assert!(ok("198802292005022001"));
        assert!(!ok("198702292010011002"));
        assert!(!ok("198713122010011002"));
        assert!(!ok("198703122003011002"));
        assert!(!ok("198703122010131002"));
        assert!(!ok("198703122010013002"));
        assert!(!ok("198703122010011000"));
        assert!(!ok("19870312201001100"));
        assert!(!ok("193903122010011002"));
    }

    #[test]
    fn a_bracket_after_an_account_holds_a_holder_or_a_status() {
        assert!(holder_in_brackets(b" (BUDI SANTOSO) ke"));
        assert!(holder_in_brackets(b"  (Siti)"));
        assert!(!holder_in_brackets(b" (SUCCESS)"));
        assert!(!holder_in_brackets(b" (transfer gagal)"));
        assert!(!holder_in_brackets(b" BUDI"));
        assert!(!holder_in_brackets(b""));
        let check = |v: Validator, hay: &str, s: usize, e: usize| v.check(hay.as_bytes(), s, e);
        let hay = "dari 1234567890 (BUDI SANTOSO) ok";
        assert_eq!(
            check(Validator::AccountBeforeHolder, hay, 5, 15),
            Some((5, 15))
        );
        assert_eq!(
            check(Validator::HolderInBrackets, hay, 17, 29),
            Some((17, 29))
        );
        let hay = "dari 1234567890 (PENDING) ok";
        assert_eq!(check(Validator::AccountBeforeHolder, hay, 5, 15), None);
        assert_eq!(check(Validator::HolderInBrackets, hay, 17, 24), None);
    }

    #[test]
    fn name_word_lists_are_sorted_lowercase() {
        for list in [
            NAME_LEADS,
            NOT_NAMES,
            NOT_TITLED_NAMES,
            POSSESSIVES,
            NETWORK_PAGES,
            NOT_STREETS,
            STATUS_WORDS,
        ] {
            assert!(list
                .iter()
                .all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
            assert!(list.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn names_end_at_a_common_word() {
        fn name(text: &str) -> Option<&str> {
            person_name(text.as_bytes(), 0, text.len()).map(|(s, e)| &text[s..e])
        }
        // A last word glued to an email is the email's.
        let hay = "budi budi@mail.com";
        assert_eq!(person_name(hay.as_bytes(), 0, 9), Some((0, 4)));
        assert_eq!(person_name(hay.as_bytes(), 5, 9), None);
        assert_eq!(name("budi santoso ya kak"), Some("budi santoso"));
        assert_eq!(name("Budi Santoso"), Some("Budi Santoso"));
        assert_eq!(name("adalah Siti Aminah"), Some("Siti Aminah"));
        assert_eq!(name("rina mau tanya"), Some("rina"));
        assert_eq!(name("john and"), Some("john"));
        assert_eq!(name("sudah benar"), None);
        assert_eq!(name("adalah"), None);
        assert_eq!(name("Pak Budi Santoso"), Some("Budi Santoso"));
        assert_eq!(name("bu siti aminah ya"), Some("siti aminah"));
        assert_eq!(name("Wa Ode Nurhayati"), Some("Wa Ode Nurhayati"));
        assert_eq!(name("Chen Yang"), Some("Chen Yang"));
        assert_eq!(name("ya kak"), None);
    }

    #[test]
    fn dotted_quads() {
        for ok in [
            "0.0.0.0",
            "10.0.0.1",
            "255.255.255.255",
            "199.250.9.100",
            "_1.2.3.4_",
        ] {
            assert!(dotted_quad(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "256.1.1.1",
            "1.2.3.260",
            "010.1.1.1",
            "1.2.3.00",
            "1.2.3",
            "1.2.3.4.5",
            "1..2.3",
            "1.2.3.",
            "300.1.1.1",
            "1.2.3.a",
        ] {
            assert!(!dotted_quad(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn ibans() {
        let len = |v: &str| iban_len(v.as_bytes());
        assert_eq!(len("GB82 WEST 1234 5698 7654 32"), Some(27));
        assert_eq!(len("GB82WEST12345698765432"), Some(22));
        assert_eq!(len("NL91ABNA0417164300"), Some(18));
        assert_eq!(len("DE89 3704 0044 0532 0130 00"), Some(27));
        // The next word is cut off at the country's length.
        assert_eq!(len("DE89 3704 0044 0532 0130 00 AB12"), Some(27));
        for bad in [
            "GB82 WEST 1234 5698 7654 33",  // mod 97
            "GB82 WEST 1234 5698 7654 3",   // too short
            "GB82 WEST 1234 5698 7654 321", // the cut falls inside a group
            "XX82 WEST 1234 5698 7654 32",  // no such country
            "gb82 WEST 1234 5698 7654 32",
        ] {
            assert_eq!(len(bad), None, "{bad}");
        }
    }

    #[test]
    fn passport_zones_and_licences() {
        assert!(mrz_line2(b"C1234567<0IDN9008179M3001019<<<<<<<<<<<<<<<4"));
        // The document's check digit changed, then the composite one.
        assert!(!mrz_line2(b"C1234567<1IDN9008179M3001019<<<<<<<<<<<<<<<4"));
        assert!(!mrz_line2(b"C1234567<0IDN9008179M3001019<<<<<<<<<<<<<<<5"));
        assert!(!mrz_line2(b"C1234567<0IDN9008179M3001019<<<<<<<<<<<<<<4"));
        let d = |s: &str| Digits::of(s.as_bytes()).unwrap();
        assert!(sim(d("9008 12 00 0123").as_slice()));
        assert!(sim(d("1234-5678-901234").as_slice()));
        assert!(!sim(d("9013 12 00 0123").as_slice())); // month 13
        assert!(!sim(d("9008 12 00 0000").as_slice())); // serial 0000
        assert!(!sim(d("1111 1111 1111").as_slice()));
    }

    #[test]
    fn imeis_and_macs() {
        let ok = |validator: Validator, hay: &str, v: &str| {
            let s = hay.find(v).unwrap();
            validator.check(hay.as_bytes(), s, s + v.len()).is_some()
        };
        assert!(ok(
            Validator::Imei,
            "imei 352099001761481",
            "352099001761481"
        ));
        assert!(ok(
            Validator::Imei,
            "imei 35-209900-176148-1",
            "35-209900-176148-1"
        ));
        assert!(ok(
            Validator::Imei,
            "IMEISV 35686800-004141-20",
            "35686800-004141-20"
        ));
        assert!(!ok(
            Validator::Imei,
            "imei 352099001761482",
            "352099001761482"
        ));
        assert!(!ok(
            Validator::Imei,
            "imei 555555555555555",
            "555555555555555"
        ));
        assert!(ok(
            Validator::Mac,
            "mac 00:1A:2B:3C:4D:5E",
            "00:1A:2B:3C:4D:5E"
        ));
        assert!(ok(
            Validator::Mac,
            "wlan 00-1a-2b-3c-4d-5e.",
            "00-1a-2b-3c-4d-5e"
        ));
        assert!(ok(Validator::Mac, "cisco 001a.2b3c.4d5e", "001a.2b3c.4d5e"));
        // Part of a longer chain (an IPv6 address, a fingerprint); no device's address.
        assert!(!ok(
            Validator::Mac,
            "fe80:00:1A:2B:3C:4D:5E",
            "00:1A:2B:3C:4D:5E"
        ));
        assert!(!ok(
            Validator::Mac,
            "00:1A:2B:3C:4D:5E:6F",
            "00:1A:2B:3C:4D:5E"
        ));
        assert!(!ok(
            Validator::Mac,
            "bssid 00:00:00:00:00:00",
            "00:00:00:00:00:00"
        ));
        assert!(!ok(
            Validator::Mac,
            "to FF:FF:FF:FF:FF:FF",
            "FF:FF:FF:FF:FF:FF"
        ));
    }

    #[test]
    fn luhn_and_cards() {
        for ok in [
            "4526 0181 5908 3012",
            "4661318609139099600",
            "5308 2462 8194 8213",
            "2221 9935 1819 0934",
            "2720 7865 7975 4325",
            "3731 948757 49111",
            "3530 8625 2760 1898",
            "6212 5559 7971 1474",
            "6011 7034 2366 7123",
            "6576 8426 8465 6321",
            "3695 289078 6668",
            "9360 0014 1223 3077",
            "9360 0008 9244 0268 596",
        ] {
            assert!(card(&digits(ok)), "{ok}");
        }
        for bad in [
            "4526 0181 5908 3013",
            "2721 0000 0000 0001",
            "3731 948757 4911",
            "0812 3456 7890",
            "1234 5678 9012 3456",
            "0000 0000 0000 0000",
        ] {
            assert!(!card(&digits(bad)), "{bad}");
        }
    }

    #[test]
    fn npwp_check_digit() {
        for ok in [
            "01.234.567.4-091.000",
            "71.531.728.5-021.000",
            "09.254.294.3-407.000",
            "02.183.241.5-000.001",
            "01.312.166.0-091.000",
        ] {
            assert!(npwp15(&digits(ok)), "{ok}");
        }
        assert!(npwp16(&digits("0012345674091000")));
        for bad in [
            "01.234.567.5-091.000",
            "71.531.728.4-021.000",
            "00.000.000.0-000.000",
            "01.234.567.4-091.00",
        ] {
            assert!(!npwp15(&digits(bad)), "{bad}");
        }
        assert!(!npwp16(&digits("0012345675091000")));
        // An entity's (a 16-digit NPWP and six digits) and an individual's (a NIK and six);
        // a wrong check digit, a NIK with no valid date.
        for (nitku, valid) in [
            (b"0012345674091000000001", true),
            (b"0012345675091000000000", false),
            (b"3201026207910004000000", true),
            (b"3201029907910004000000", false),
        ] {
            let want = valid.then_some((0, 22));
            assert_eq!(Validator::Nitku.check(nitku, 0, 22), want, "{nitku:?}");
        }
    }

    #[test]
    fn nik_structure() {
        for ok in [
            "3273011708900001",
            "3578106512950003",
            "5171024203010002",
            "3171011708450001",
            "9271011203880004",
            "3273012902000001",
        ] {
            assert!(nik(&digits(ok)), "{ok}");
        }
        for bad in [
            "3273013208900001",
            "3273011713900001",
            "3273017208900001",
            "3273012902010001",
            "9973011708900001",
            "3273001708900001",
            "3273011708900000",
            "3250011708900001",
            "327301170890001",
        ] {
            assert!(!nik(&digits(bad)), "{bad}");
        }
    }

    #[test]
    fn phones() {
        let mobile = |s: &str| {
            Validator::PhoneIdMobile
                .check(s.as_bytes(), 0, s.len())
                .is_some()
        };
        let land = |s: &str| {
            Validator::PhoneIdLandline
                .check(s.as_bytes(), 0, s.len())
                .is_some()
        };
        assert!(
            mobile("+62 812-3456-7890")
                && mobile("0812345678901")
                && mobile("+62 (0)812 3456 7890")
        );
        assert!(mobile("0062 811 123 4567") && mobile("6281234567890"));
        assert!(!mobile("0841 2345 6789") && !mobile("081234567") && !mobile("08123456789012"));
        assert!(land("(021) 555-1234") && land("(0274) 512345") && land("+62 361 234567"));
        assert!(!land("(020) 555-1234") && !land("021 12"));
    }

    #[test]
    fn ipv6_and_email() {
        assert_eq!(ipv6(b"2001:db8::1:"), Some(11));
        assert_eq!(ipv6(b"fe80::1%eth0"), Some(12));
        assert_eq!(ipv6(b"::"), None);
        assert_eq!(ipv6(b"12:34:56"), None);
        assert_eq!(email(b"budi@mail.co.id"), Some(0));
        assert_eq!(email(b"email%3Dbudi%40mail.co.id"), Some(8));
        assert_eq!(email(b"budi%2540mail.co.id"), Some(0));
        assert_eq!(email(b"budi@mail..com"), None);
        assert_eq!(email(b"budi@-mail.com"), None);
        assert_eq!(email(b"budi@mail.c0m"), None);
    }
}
