//! Key rules: a value stored under a sensitive key (`password`, `token`, `nik`, ...) is
//! redacted whole, whatever it looks like.
//!
//! Keys are compared in a folded form: ASCII lowercase, `-`, `.` and spaces become `_`, and
//! camelCase is split (`accessToken` and `ACCESS-TOKEN` both fold to `access_token`). A rule
//! matches a key when the rule's words are the key's last words: `password` matches
//! `password`, `db.password` and `newPassword`, but never `author` for `auth` or `shipping`
//! for `pin` (words, not substrings).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: keys are short and not attacker-chosen in a way that matters (a lookup in a
/// fixed, small table); SipHash cost a visible share of the scan on key=value logs.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// Longest key considered (longer runs of key characters are not keys).
pub const MAX_KEY: usize = 64;

/// The default rules: credentials first, then names and addresses, then identifiers.
pub const DEFAULT_RULES: &[&str] = &[
    // credentials
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "passcode",
    "secret",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "auth_token",
    "session_token",
    "api_key",
    "apikey",
    "authorization",
    "proxy_authorization",
    "cookie",
    "set_cookie",
    "private_key",
    "client_secret",
    "secret_key",
    "secret_access_key",
    "sandi",
    "kata_sandi",
    "passwords",
    "password_confirmation",
    "password_confirm",
    "password_repeat",
    "password_retype",
    "password_new",
    "password_old",
    "password_baru",
    "password_lama",
    "password_hash",
    "password_digest",
    "pgpassword",
    "pw",
    "tokens",
    "cookies",
    "auth_code",
    // a security question's answer
    "security_answer",
    "secret_answer",
    // signed URLs: the signature is the credential (S3, GCS presigned; Azure SAS `sig`)
    "amz_signature",
    "goog_signature",
    "sig",
    // a cue phrase of the OTP detector, as a key (`kode rahasia`, a secret code)
    "kode_rahasia",
    // one-time codes, PINs and card security codes, up to the names: in text their value
    // holds a digit (see `digit_value`)
    "otp",
    "pin",
    "cvv",
    "cvc",
    "otp_code",
    "sms_code",
    "pin_code",
    "mfa_code",
    "verify_code",
    "cvv2",
    "cvc2",
    // a mobile banking PIN, an ATM PIN, a card's security code under Visa's and JCB's names
    "mpin",
    "pin_atm",
    "atm_pin",
    "cvn",
    "cav2",
    "otp_value",
    // cue phrases of the OTP detector, as keys (`kode verifikasi`, `verification code`)
    "kode_verifikasi",
    "verification_code",
    // names and addresses (their values hold blanks: they run as header values do)
    "full_name",
    "first_name",
    "last_name",
    "customer_name",
    "nama",
    "nama_lengkap",
    "alamat",
    "alamat_lengkap",
    "home_address",
    "street_address",
    "shipping_address",
    "billing_address",
    "delivery_address",
    "address_line1",
    "address_line2",
    "alamat_pengiriman",
    "alamat_kirim",
    "alamat_rumah",
    "alamat_ktp",
    // a customer's, an employee's, a taxpayer's ("wajib pajak") name
    "nama_pelanggan",
    "nama_karyawan",
    "employee_name",
    "nama_wp",
    "nama_wajib_pajak",
    // a form's person under its role (`Nama Pasien:`, `Nama Pemohon:`, a loan's debtor, a
    // parcel's sender and consignee, a student's guardian, an emergency contact) and a
    // chat platform's contact (`contact_name`, WhatsApp's `pushName`, `profile_name`)
    "nama_pasien",
    "nama_pemohon",
    "nama_debitur",
    "nama_pengirim",
    "nama_customer",
    "nama_konsumen",
    "nama_pembeli",
    "nama_peserta",
    "nama_siswa",
    "nama_anak",
    "nama_ayah",
    "nama_wali",
    "nama_suami",
    "nama_istri",
    "nama_tertanggung",
    "kontak_darurat",
    "fullname",
    "contact_name",
    "sender_name",
    "push_name",
    "profile_name",
    "consignee_name",
    "buyer_name",
    "alamat_domisili",
    // the holder of an account or card, a transfer's recipient
    "nama_rekening",
    "nama_penerima",
    "penerima",
    "account_name",
    "account_holder",
    "beneficiary_name",
    "cardholder_name",
    "card_holder",
    "holder_name",
    "cardholder",
    "receiver_name",
    "recipient_name",
    "pemilik_rekening",
    "nama_pemilik_rekening",
    // a business contact's person (`Contact Person: …`, `Nama PIC: …`)
    "contact_person",
    "nama_pic",
    // a mother's maiden name (a bank's security question) and a birth date, with what
    // forms put with it (`tempat_tanggal_lahir` "place and date of birth")
    "nama_ibu",
    "nama_ibu_kandung",
    "ibu_kandung",
    "mother_maiden_name",
    "mothers_maiden_name",
    "maiden_name",
    "mother_name",
    "dob",
    "date_of_birth",
    "birth_date",
    "birthdate",
    "birthday",
    "tgl_lahir",
    "tanggal_lahir",
    "tempat_lahir",
    "tempat_tanggal_lahir",
    "place_of_birth",
    // identifiers
    "nik",
    "ktp",
    "no_ktp",
    "npwp",
    // NITKU: a 16-digit NPWP (an individual's is the NIK) and six digits
    "nitku",
    // a civil servant's number (NIP: birth date, start date, sex, serial)
    "nip",
    "msisdn",
    "phone",
    "phone_number",
    "hp",
    "no_hp",
    "nomor_hp",
    "telepon",
    "telp",
    "no_telp",
    "phone_no",
    // `tel` ends as `level` does, the commonest key of JSON logs: the key scan tells them
    // apart by their last three bytes (see `KeyRules::may_end_with_three`).
    "tel",
    "tlp",
    "no_tlp",
    "telephone",
    "mobile_number",
    "whatsapp",
    "no_wa",
    "fax",
    "email",
    "card_number",
    "pan",
    "account_number",
    "account_no",
    "bank_account",
    "no_rek",
    "norek",
    "rekening",
    "rekening_tujuan",
    "beneficiary_account",
    // a transfer's two accounts (`destination_account`, `from_account`)
    "destination_account",
    "source_account",
    "to_account",
    "from_account",
    "sender_account",
    "receiver_account",
    "acc_no",
    "acct_no",
    "bank_acc",
    "no_rekening",
    "nomor_rekening",
    // a virtual account's number holds a phone or customer number after the bank's code
    "va_number",
    "virtual_account",
    "no_va",
    "ic",
    "no_ic",
    "ic_no",
    "mykad",
    "nric",
    // passport, driving licence (SIM), social security (BPJS Kesehatan, BPJS
    // Ketenagakerjaan's KPJ), handset and bank identifiers of FORMATS.md sections 6 and 8,
    // found by their keys (their values alone are too loose to tell from other numbers)
    "passport",
    "passport_no",
    "passport_number",
    "paspor",
    "no_sim",
    "nomor_sim",
    "sim_no",
    "driving_license",
    "driver_license",
    "drivers_license",
    "bpjs",
    "no_bpjs",
    "bpjs_tk",
    "bpjs_kesehatan",
    "kpj",
    "no_kpj",
    "imei",
    "imei1",
    "imei2",
    "imei_1",
    "imei_2",
    "imeisv",
    "iban",
    "mac_address",
    "macaddr",
    // a location (FORMATS.md 8.12): JSON carries the two numbers as members of their own
    // (`"lat":-6.2088,"lng":106.8456`), which the gps detector's pair does not see
    "latitude",
    "longitude",
    "lat",
    "lng",
    "lon",
    // ... or as one member (`"coordinates":[106.8456,-6.2088]`, GeoJSON; `"latlng"`)
    // (`coords` and `geolocation` also take a tap's `{"x":120,"y":480}` and a permission's
    // "granted": a location read number by number in an array would leak without them)
    "coordinates",
    "coords",
    "geolocation",
    "koordinat",
    "latlng",
    "latlong",
    "lat_long",
    "latlon",
    "lnglat",
];

/// Rules whose plain (unquoted) value in text runs to the end of the line: HTTP header
/// values carry spaces (`Authorization: Bearer abc`, `Cookie: a=1; b=2`), and so do a
/// security question's answers, names and addresses (`nama: Budi Santoso`, `alamat: Jl.
/// Sudirman No. 5, Jakarta`): the rules of [`DEFAULT_RULES`] from [`FIRST_NAME_RULE`] to
/// the identifiers.
const LINE_VALUE_RULES: &[&str] = &[
    "authorization",
    "proxy_authorization",
    "cookie",
    "set_cookie",
    "cookies",
    "security_answer",
    "secret_answer",
];

/// The first name or address rule in [`DEFAULT_RULES`].
const FIRST_NAME_RULE: &str = "full_name";

/// Is `name` a rule whose plain value runs to the end of its line?
fn line_value(name: &str) -> bool {
    LINE_VALUE_RULES.contains(&name)
        || rules_from(FIRST_NAME_RULE, FIRST_IDENTIFIER).contains(&name)
}

/// The rules of [`DEFAULT_RULES`] from `first` up to `end` (to the list's end if `end` is
/// none of them).
fn rules_from(first: &str, end: &str) -> &'static [&'static str] {
    let at = |n: &str| DEFAULT_RULES.iter().position(|&r| r == n);
    match (at(first), at(end)) {
        (Some(a), Some(b)) if a < b => &DEFAULT_RULES[a..b],
        (Some(a), None) => &DEFAULT_RULES[a..],
        _ => &[],
    }
}

/// The first of [`DEFAULT_RULES`]' codes (a PIN, an OTP, a card's security code); they run
/// to [`FIRST_NAME_RULE`].
const FIRST_CODE: &str = "otp";

/// The first identifier rule in [`DEFAULT_RULES`].
const FIRST_IDENTIFIER: &str = "nik";

/// Is `name` a rule whose value in free text is a code or a number (a PIN, an OTP, a phone
/// or card number)? A value there without a digit is a word, not the value (`kode OTP:
/// JANGAN dibagikan`, "do not share"), and is left. JSON members are redacted whole
/// whatever their value. These are the codes (from [`FIRST_CODE`] to [`FIRST_NAME_RULE`])
/// and the identifiers (from [`FIRST_IDENTIFIER`] on) but `email`.
fn digit_value(name: &str) -> bool {
    rules_from(FIRST_CODE, FIRST_NAME_RULE).contains(&name)
        || (name != "email" && rules_from(FIRST_IDENTIFIER, "").contains(&name))
}

/// A compiled set of key rules.
#[derive(Debug, Clone)]
pub struct KeyRules {
    names: Vec<String>,
    labels: Vec<Box<[u8]>>,
    line_value: Vec<bool>,
    digit_value: Vec<bool>,
    map: FnvMap<Box<[u8]>, usize>,
    /// Last bytes of rule names (a folded key whose last byte is not here matches nothing).
    last: [bool; 256],
    /// The rules of one word: a folded key whose last word is none of them (by length,
    /// first and last byte) can only match a rule of several words.
    solo: WordFilter,
    /// The last words of the rules of several words ...
    multi_last: WordFilter,
    /// ... and the words before them: `user_id` matches no rule without a hash lookup,
    /// though `device_id` is one (`user` is no word before an `id`).
    multi_prev: WordFilter,
    /// The last two bytes of rule names (bit `b1 << 8 | b2`): the first test, on the key as
    /// written (see [`last_two`]).
    last_two: Box<[u64; 1024]>,
    /// The last three bytes of rule names, hashed (see [`three_bit`]): the second test.
    /// A rule of one or two bytes (and the sibling value key's end) lets every third byte
    /// through.
    last_three: Box<[u64; 1024]>,
    /// The last six bytes of rule names that end with six lower-case letters, hashed (see
    /// [`six_bit`]): the third test, for a key that ends with six lower-case letters (`ion`
    /// passes the second test for `duration` and `version`, as `authorization` ends).
    last_six: Box<[u64; 1024]>,
    /// Last words of rules of several words (`key` of `api_key`, `rekening` of
    /// `nama_rekening`): the words after which free text may hold a two-word key
    /// (`api key: …`).
    pair_tails: Vec<Box<[u8]>>,
    /// The words of `pair_tails` by length, first and last byte: most words are none.
    pair_filter: WordFilter,
}

const TAIL_MAX: usize = 24;

/// Bit of a word's first or last byte in a [`WordFilter`] (a letter in either case, a
/// digit; others share a bit): a key as written and its folded form test alike.
fn tail_bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'A'..=b'Z' => 1 << (b - b'A'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        _ => 1 << 63,
    }
}

/// A filter of words by length (up to [`TAIL_MAX`]), first and last byte: a word it does
/// not let through is none of the words added.
#[derive(Debug, Clone, Default)]
struct WordFilter {
    firsts: [u64; TAIL_MAX + 1],
    lasts: [u64; TAIL_MAX + 1],
    /// A word longer than the filter knows was added: all words pass.
    all: bool,
}

impl WordFilter {
    fn add(&mut self, word: &[u8]) {
        match (word.first(), word.last()) {
            (Some(&f), Some(&l)) if word.len() <= TAIL_MAX => {
                self.firsts[word.len()] |= tail_bit(f);
                self.lasts[word.len()] |= tail_bit(l);
            }
            _ => self.all = true,
        }
    }

    /// Can `word` (folded, or as written in any case) be one of the words added?
    #[inline]
    fn may(&self, word: &[u8]) -> bool {
        match (self.firsts.get(word.len()), word.first(), word.last()) {
            (Some(firsts), Some(&f), Some(&l)) => {
                firsts & tail_bit(f) != 0 && self.lasts[word.len()] & tail_bit(l) != 0
            }
            _ => self.all,
        }
    }
}

/// A name byte as folding writes it: a separator as `_`, a letter in lower case.
static FOLD_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'-' | b'.' | b' ' | b'_' => b'_',
            _ => c.to_ascii_lowercase(),
        };
        b += 1;
    }
    t
};

/// A byte of a key name as written: a letter, a digit, `_`, `-` or `.`.
#[inline]
pub(crate) fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[usize::from(b)]
}

/// [`is_name_byte`] as a table: the key scans read every key's bytes backwards from each
/// separator, and one load per byte is cheaper than the range tests.
static NAME_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.');
        b += 1;
    }
    t
};

/// Lowercase ASCII letters and digits, as a table: a key lookup tests every byte of the key,
/// and one load is cheaper than the two range tests (on the clean bench log the lookups went
/// from about 140 to 87 instructions each).
static LOWER_OR_DIGIT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_lowercase() || c.is_ascii_digit();
        b += 1;
    }
    t
};

/// Where the name starts in a run of name bytes: after its leading separators (folding
/// drops them: `--password`, `_token`), if it then starts with a letter.
#[inline]
pub(crate) fn name_in_run(run: &[u8]) -> Option<usize> {
    let start = run.iter().position(|&b| !matches!(b, b'_' | b'-' | b'.'))?;
    run[start].is_ascii_alphabetic().then_some(start)
}

/// The last `_`-separated word of a folded key.
fn last_word(folded: &[u8]) -> &[u8] {
    last_two_words(folded).1
}

/// The last two `_`-separated words of a folded key (the first is `None` for a key of one
/// word).
fn last_two_words(folded: &[u8]) -> (Option<&[u8]>, &[u8]) {
    match memchr::memrchr(b'_', folded) {
        Some(i) => {
            let head = &folded[..i];
            let prev = match memchr::memrchr(b'_', head) {
                Some(j) => &head[j + 1..],
                None => head,
            };
            (Some(prev), &folded[i + 1..])
        }
        None => (None, folded),
    }
}

/// The last two bytes the folded form of `key` ends with, read off the key as written
/// (lowercased, a separator as `_`), as one number; `None` when that cannot be told without
/// folding (fewer than two bytes left, or a camelCase split before the last byte).
#[inline]
fn last_two(key: &[u8]) -> Option<usize> {
    let end = key.iter().rposition(|&b| !is_sep(b))? + 1;
    if end < 2 {
        return None;
    }
    pair_of(key[end - 2], key[end - 1])
}

/// The bit of a key's last three bytes (folded; `pair` as [`pair_of`] gives it) in
/// [`KeyRules::last_three`]: a hash, so a key may pass for a rule it is not (then looked
/// up), never the other way round.
#[inline]
fn three_bit(z: u8, pair: usize) -> usize {
    (pair ^ usize::from(z).wrapping_mul(THREE_MIX)) & 0xffff
}

/// The bit of [`KeyRules::last_six`] for six lower-case letters, or `None` for anything
/// else.
#[inline]
fn six_bit(six: &[u8]) -> Option<usize> {
    let six: &[u8; 6] = six.try_into().ok()?;
    let mut x = 0u64;
    for &b in six {
        if !b.is_ascii_lowercase() {
            return None;
        }
        x = x << 8 | u64::from(b);
    }
    Some((x.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize)
}

/// An odd multiplier that spreads the third byte over the bits of a pair.
const THREE_MIX: usize = 0x9e5;

#[inline]
fn is_sep(b: u8) -> bool {
    matches!(b, b'-' | b'.' | b' ' | b'_')
}

/// The last two folded bytes of a key whose last two bytes as written are `a`, `b` (`b` not
/// a separator); `None` after a camelCase split.
#[inline]
fn pair_of(a: u8, b: u8) -> Option<usize> {
    if b.is_ascii_uppercase() && (a.is_ascii_lowercase() || a.is_ascii_digit()) {
        return None;
    }
    let norm = |x: u8| usize::from(FOLD_BYTE[usize::from(x)]);
    Some(norm(a) << 8 | norm(b))
}

impl Default for KeyRules {
    fn default() -> Self {
        KeyRules::new(DEFAULT_RULES.iter().copied())
    }
}

impl KeyRules {
    /// Rules from names (folded here; duplicates and empty names are dropped).
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(names: I) -> KeyRules {
        let mut rules = KeyRules {
            names: Vec::new(),
            labels: Vec::new(),
            line_value: Vec::new(),
            digit_value: Vec::new(),
            map: FnvMap::default(),
            last: [false; 256],
            solo: WordFilter::default(),
            multi_last: WordFilter::default(),
            multi_prev: WordFilter::default(),
            last_two: Box::new([0; 1024]),
            last_three: Box::new([0; 1024]),
            last_six: Box::new([0; 1024]),
            pair_tails: Vec::new(),
            pair_filter: WordFilter::default(),
        };
        let mut buf = Vec::new();
        for n in names {
            fold(n.as_ref().as_bytes(), &mut buf);
            if buf.is_empty() || buf.len() > MAX_KEY || rules.map.contains_key(buf.as_slice()) {
                continue;
            }
            let name = String::from_utf8_lossy(&buf).into_owned();
            rules
                .map
                .insert(buf.clone().into_boxed_slice(), rules.names.len());
            rules.last[usize::from(buf[buf.len() - 1])] = true;
            match buf.len() {
                1 => {
                    *rules.last_two = [u64::MAX; 1024];
                    *rules.last_three = [u64::MAX; 1024];
                }
                n => {
                    let pair = usize::from(buf[n - 2]) << 8 | usize::from(buf[n - 1]);
                    rules.last_two[pair >> 6] |= 1 << (pair & 63);
                    match n {
                        2 => rules.any_third(pair),
                        _ => rules.set_three(buf[n - 3], pair),
                    }
                }
            }
            match last_two_words(&buf) {
                (None, word) => rules.solo.add(word),
                (Some(prev), word) => {
                    rules.multi_last.add(word);
                    rules.multi_prev.add(prev);
                }
            }
            rules
                .labels
                .push(format!("[REDACTED:{name}]").into_bytes().into_boxed_slice());
            rules.line_value.push(line_value(name.as_str()));
            rules.digit_value.push(digit_value(name.as_str()));
            rules.names.push(name);
        }
        // A key that ends like `value` may be named by the member before it
        // (`"name":"DB_PASSWORD","value":…`, see `sibling`): the two-byte filter lets it by.
        if !rules.names.is_empty() {
            let [a, b] = crate::sibling::VALUE_KEY_END;
            let pair = usize::from(a) << 8 | usize::from(b);
            rules.last_two[pair >> 6] |= 1 << (pair & 63);
            rules.any_third(pair);
        }
        rules.let_numbered_keys_by();
        let sixes: Vec<usize> = (rules.map.keys().map(|k| &**k))
            .chain(crate::sibling::VALUE_KEYS.iter().copied())
            .filter_map(|k| six_bit(k.get(k.len().checked_sub(6)?..)?))
            .collect();
        for bit in sixes {
            rules.last_six[bit >> 6] |= 1 << (bit & 63);
        }
        for name in &rules.names {
            let tail = last_word(name.as_bytes());
            if tail.len() < name.len() && !rules.pair_tails.iter().any(|t| **t == *tail) {
                rules.pair_tails.push(tail.into());
                rules.pair_filter.add(tail);
            }
        }
        rules
    }

    /// Is `word` (as written, any case) the last word of a rule of several words? Only then
    /// can a two-word key in text match (`api key`, `nama rekening`: that one over the
    /// rule `rekening`).
    #[inline]
    pub(crate) fn ends_pair(&self, word: &[u8]) -> bool {
        self.pair_filter.may(word) && self.pair_tails.iter().any(|t| t.eq_ignore_ascii_case(word))
    }

    /// No rules at all.
    pub fn none() -> KeyRules {
        KeyRules::new(std::iter::empty::<&str>())
    }

    /// The default rules with `add` added and `remove` removed (names in any spelling).
    pub fn with_changes(add: &[String], remove: &[String]) -> KeyRules {
        let mut buf = Vec::new();
        let removed: Vec<Vec<u8>> = remove
            .iter()
            .map(|r| {
                fold(r.as_bytes(), &mut buf);
                buf.clone()
            })
            .collect();
        let names = DEFAULT_RULES
            .iter()
            .map(|s| s.to_string())
            .chain(add.iter().cloned())
            .filter(|n| {
                fold(n.as_bytes(), &mut buf);
                !removed.contains(&buf)
            })
            .collect::<Vec<_>>();
        KeyRules::new(names)
    }

    /// Rule names (folded), in order; a rule id indexes this.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Is the set empty?
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub(crate) fn label(&self, rule: usize) -> &[u8] {
        &self.labels[rule]
    }

    pub(crate) fn line_value(&self, rule: usize) -> bool {
        self.line_value[rule]
    }

    /// Is the rule's value in free text a code or number (see `digit_value`)?
    pub(crate) fn digit_value(&self, rule: usize) -> bool {
        self.digit_value[rule]
    }

    /// Can a key that ends with `a`, `b` as written (at least two bytes long) match a rule?
    /// A quick test before the key's start is even found.
    #[inline]
    pub(crate) fn may_end_with(&self, a: u8, b: u8) -> bool {
        if self.names.is_empty() {
            return false;
        }
        match (is_sep(b), pair_of(a, b)) {
            (false, Some(pair)) => self.last_two[pair >> 6] & (1 << (pair & 63)) != 0,
            _ => true,
        }
    }

    /// [`KeyRules::may_end_with`] for a key of three bytes or more that ends with `z`,
    /// `a`, `b` as written (`z` a name byte), in its place: `level` is told from `tel`
    /// here. The three-byte table holds every rule's last two bytes too (a rule of one or
    /// two bytes with any third), so one test does.
    #[inline]
    pub(crate) fn may_end_with_three(&self, z: u8, a: u8, b: u8) -> bool {
        // Folding may put a `_` before an upper-case `a` (`noWa`, `NOWa`) or `b` (`telP`),
        // and drops a separator run's end (`pin__`, `a__b`): the two-byte test then.
        // (Name bytes that are no lower-case letter or digit are those.)
        if !(LOWER_OR_DIGIT[usize::from(a)] && LOWER_OR_DIGIT[usize::from(b)]) {
            return self.may_end_with(a, b);
        }
        let pair = usize::from(a) << 8 | usize::from(b);
        let bit = three_bit(FOLD_BYTE[usize::from(z)], pair);
        self.last_three[bit >> 6] & (1 << (bit & 63)) != 0
    }

    /// Is a key that ends with `z`, `a`, `b` right before its separator, or before a quote
    /// that closes it (`status=`, `"level":`, a timestamp's `09:`), no rule, by the table
    /// of [`KeyRules::may_end_with_three`]? Only `a` and `b` lower-case letters or digits
    /// and `z` a name byte are told here (false for any other: the full scan decides), so
    /// the scan's tests for blanks, brackets and escapes are skipped for most separators.
    #[inline]
    pub(crate) fn glued_end_is_no_rule(&self, z: u8, a: u8, b: u8) -> bool {
        LOWER_OR_DIGIT[usize::from(a)]
            && LOWER_OR_DIGIT[usize::from(b)]
            && is_name_byte(z)
            && !self.may_end_with_three(z, a, b)
    }

    /// A numbered key (`password1`, `pwd_2`; see `numbered_stem`) ends with a digit after
    /// a rule's last byte or a separator, its last three bytes with a rule's last two and a
    /// digit: the end tests let those by.
    fn let_numbered_keys_by(&mut self) {
        let ends: Vec<[u8; 2]> = self
            .map
            .keys()
            .filter_map(|k| match **k {
                [.., x, y] if y.is_ascii_lowercase() => Some([x, y]),
                _ => None,
            })
            .collect();
        for d in b'0'..=b'9' {
            let lasts = (b'a'..=b'z').filter(|&y| self.last[usize::from(y)]);
            for a in lasts.chain(*b"_") {
                let pair = usize::from(a) << 8 | usize::from(d);
                self.last_two[pair >> 6] |= 1 << (pair & 63);
            }
            for &[x, y] in &ends {
                self.set_three(x, usize::from(y) << 8 | usize::from(d));
            }
        }
    }

    /// Is a key whose text as written ends with `tail` (its last six bytes) no rule, by
    /// [`KeyRules::last_six`]? Told only when the six are lower-case letters (false for any
    /// other: the other tests decide). Such a key is one word of six letters or more, so
    /// only a rule of six bytes or more, whose last six are those, can match it.
    #[inline]
    pub(crate) fn six_end_is_no_rule(&self, tail: &[u8]) -> bool {
        match six_bit(tail) {
            Some(bit) => self.last_six[bit >> 6] & (1 << (bit & 63)) == 0,
            None => false,
        }
    }

    fn set_three(&mut self, z: u8, pair: usize) {
        let bit = three_bit(z, pair);
        self.last_three[bit >> 6] |= 1 << (bit & 63);
    }

    /// A rule (or the value key) ends with `pair` and may be two bytes long.
    fn any_third(&mut self, pair: usize) {
        for z in 0..=255 {
            self.set_three(z, pair);
        }
    }

    /// Can the folded key `folded` match a rule, by the length, first and last byte of its
    /// last word (and of the word before it, for a rule of several words)?
    #[inline]
    fn words_possible(&self, folded: &[u8]) -> bool {
        let (prev, last) = last_two_words(folded);
        self.solo.may(last)
            || (self.multi_last.may(last) && prev.is_some_and(|p| self.multi_prev.may(p)))
    }

    /// The rule of a JSON member's key: the key as a whole, or else the name it ends with
    /// (its last run of letters, digits, `_`, `-` and `.`, from a letter), as the text scan
    /// reads a key: `creds/password`, `db:pin`, and a form parameter's `user[password]`.
    pub fn lookup_key(&self, key: &[u8], buf: &mut Vec<u8>) -> Option<usize> {
        if let Some(rule) = self.lookup(key, buf) {
            return Some(rule);
        }
        // Only `name[key]`, as the text scan reads it (not `user[x/pin]`, `[NIK]`).
        let key = match key.strip_suffix(b"]") {
            Some(k)
                if k.iter()
                    .rposition(|&b| !is_name_byte(b))
                    .is_some_and(|i| k[i] == b'[' && i > 0 && is_name_byte(k[i - 1])) =>
            {
                k
            }
            _ => key,
        };
        let run = &key[key.iter().rposition(|&b| !is_name_byte(b))? + 1..];
        self.lookup(&run[name_in_run(run)?..], buf)
    }

    /// The rule matching `key` (raw bytes as written), if any. `buf` is scratch space.
    /// A numbered key that is no rule as written is its key without the number
    /// (`password1`, `pwd_2`, `phone-2`).
    pub fn lookup(&self, key: &[u8], buf: &mut Vec<u8>) -> Option<usize> {
        let found = self.lookup_written(key, buf);
        if found.is_some() || !key.last().is_some_and(u8::is_ascii_digit) {
            return found;
        }
        self.lookup_written(numbered_stem(key)?, buf)
    }

    /// [`KeyRules::lookup`] of `key` as written.
    fn lookup_written(&self, key: &[u8], buf: &mut Vec<u8>) -> Option<usize> {
        if self.names.is_empty() || key.is_empty() || key.len() > MAX_KEY {
            return None;
        }
        // Most keys are one lowercase word (`status`, `duration`): that word is the tail, and
        // its length, first and last byte tell most of them from every rule.
        if key.iter().all(|&b| LOWER_OR_DIGIT[usize::from(b)]) {
            return if self.solo.may(key) {
                self.map.get(key).copied()
            } else {
                None
            };
        }
        // Folding drops trailing separators (`password_` is `password`).
        let end = key.iter().rposition(|&b| !is_sep(b))?;
        let last = key[end].to_ascii_lowercase();
        if !self.last[usize::from(last)] {
            return None;
        }
        if let Some(pair) = last_two(key) {
            if self.last_two[pair >> 6] & (1 << (pair & 63)) == 0 {
                return None;
            }
        }
        // Many others are already in folded form (`user_id`): no copy for those.
        let folded: &[u8] = if is_folded(key) {
            key
        } else {
            fold(key, buf);
            buf
        };
        if !self.words_possible(folded) {
            return None;
        }
        if let Some(&r) = self.map.get(folded) {
            return Some(r);
        }
        // The key's last words: every suffix that starts after a `_`.
        let mut i = 0;
        while let Some(p) = memchr::memchr(b'_', &folded[i..]) {
            i += p + 1;
            if let Some(&r) = self.map.get(&folded[i..]) {
                return Some(r);
            }
        }
        None
    }
}

/// A numbered key without its number: one digit after a letter or a separator
/// (`password1` is `password`, `pwd_2` is `pwd_`), if a letter is left. (One digit only:
/// the end tests of the scan tell a number of two digits, a timestamp's `09:`, from every
/// rule.)
fn numbered_stem(key: &[u8]) -> Option<&[u8]> {
    let (&last, stem) = key.split_last()?;
    let &before = stem.last()?;
    (last.is_ascii_digit()
        && (before.is_ascii_alphabetic() || is_sep(before))
        && stem.iter().any(u8::is_ascii_alphabetic))
    .then_some(stem)
}

/// Is `key` its own folded form: lowercase letters and digits, words joined by single `_`?
#[inline]
fn is_folded(key: &[u8]) -> bool {
    key.first() != Some(&b'_')
        && key.last() != Some(&b'_')
        && key
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !key.windows(2).any(|w| w == b"__")
}

/// Fold a key: ASCII lowercase; `-`, `.`, space and `_` runs become one `_`; camelCase and
/// acronym ends split (`accessToken` → `access_token`, `APIKey` → `api_key`). Leading and
/// trailing separators are dropped.
pub fn fold(key: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut sep = false;
    for (i, &b) in key.iter().enumerate() {
        if matches!(b, b'-' | b'.' | b' ' | b'_') {
            sep = !out.is_empty();
            continue;
        }
        if b.is_ascii_uppercase() && i > 0 {
            let prev = key[i - 1];
            let next_lower = key.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                sep = !out.is_empty();
            }
        }
        if sep {
            out.push(b'_');
            sep = false;
        }
        out.push(b.to_ascii_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folded(s: &str) -> String {
        let mut b = Vec::new();
        fold(s.as_bytes(), &mut b);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn codes_and_identifiers_want_a_digit() {
        for name in [
            "otp",
            "pin",
            "nik",
            "hp",
            "card_number",
            "rekening",
            "bank_account",
            "destination_account",
            "from_account",
        ] {
            assert!(digit_value(name), "{name}");
        }
        for name in ["email", "password", "token", "kode_rahasia", "cookie"] {
            assert!(!digit_value(name), "{name}");
        }
    }

    #[test]
    fn headers_names_and_addresses_run_to_the_line_end() {
        for name in [
            "cookie",
            "authorization",
            "full_name",
            "nama",
            "billing_address",
            "nama_ibu_kandung",
            "dob",
            "tempat_tanggal_lahir",
            "pemilik_rekening",
            "contact_person",
            "nama_pic",
        ] {
            assert!(line_value(name), "{name}");
        }
        for name in [
            "password",
            "verification_code",
            "nik",
            "email",
            "ic",
            "nric",
        ] {
            assert!(!line_value(name), "{name}");
        }
    }

    #[test]
    fn last_two_bytes_agree_with_folding() {
        let keys = [
            "password",
            "Password",
            "PASSWORD",
            "accessToken",
            "ACCESS-TOKEN",
            "APIKey",
            "x_B",
            "XB",
            "aBC",
            "ABc",
            "aB1",
            "a.b",
            "a..b",
            "ab_-",
            "db.password",
            "kata sandi",
            "no_hp",
            "noHp",
            "phoneN",
            "a1B",
            "x",
            "_",
            "a-",
        ];
        for k in keys {
            let mut f = Vec::new();
            fold(k.as_bytes(), &mut f);
            if let Some(pair) = last_two(k.as_bytes()) {
                assert!(f.len() >= 2, "{k}");
                let want = usize::from(f[f.len() - 2]) << 8 | usize::from(f[f.len() - 1]);
                assert_eq!(pair, want, "{k}");
            }
        }
        // Neither filter ever hides a rule: every default rule in several spellings is found.
        let rules = KeyRules::default();
        let mut buf = Vec::new();
        for name in DEFAULT_RULES {
            let camel: String = name
                .split('_')
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        w.to_string()
                    } else {
                        w[..1].to_ascii_uppercase() + &w[1..]
                    }
                })
                .collect();
            for spelling in [
                name.to_string(),
                name.to_ascii_uppercase(),
                name.replace('_', "-"),
                camel,
            ] {
                assert!(
                    rules.lookup(spelling.as_bytes(), &mut buf).is_some(),
                    "{spelling}"
                );
                let b = spelling.as_bytes();
                if b.len() >= 2 {
                    let n = b.len();
                    assert!(rules.may_end_with(b[n - 2], b[n - 1]), "{spelling}");
                    if n >= 3 {
                        assert!(
                            rules.may_end_with_three(b[n - 3], b[n - 2], b[n - 1]),
                            "{spelling}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn folded_keys_are_recognised() {
        for k in ["status", "user_id", "a1_b2", "x"] {
            assert!(is_folded(k.as_bytes()), "{k}");
            assert_eq!(folded(k), k);
        }
        for k in ["Status", "_id", "id_", "a__b", "a-b", "a.b", "a b", ""] {
            assert!(!is_folded(k.as_bytes()) || folded(k) == k, "{k}");
        }
        assert!(!is_folded(b"a__b") && !is_folded(b"userId"));
    }

    #[test]
    fn folding() {
        for (k, f) in [
            ("accessToken", "access_token"),
            ("ACCESS-TOKEN", "access_token"),
            ("X-API-Key", "x_api_key"),
            ("APIKey", "api_key"),
            ("db.password", "db_password"),
            ("no_HP", "no_hp"),
            ("kata sandi", "kata_sandi"),
            ("__pin__", "pin"),
            ("user2Pin", "user2_pin"),
        ] {
            assert_eq!(folded(k), f, "{k}");
        }
    }

    #[test]
    fn whole_words_only() {
        let rules = KeyRules::default();
        let mut buf = Vec::new();
        let name = |k: &str, buf: &mut Vec<u8>| {
            rules
                .lookup(k.as_bytes(), buf)
                .map(|r| rules.names()[r].clone())
        };
        for (k, rule) in [
            ("password", Some("password")),
            ("Password", Some("password")),
            ("newPassword", Some("password")),
            ("db.password", Some("password")),
            ("accessToken", Some("access_token")),
            ("X-Api-Key", Some("api_key")),
            ("Set-Cookie", Some("set_cookie")),
            ("kata sandi", Some("kata_sandi")),
            ("no_HP", Some("no_hp")),
            ("customer_email", Some("email")),
            ("author", None),
            ("auth", None),
            ("shipping", None),
            ("pinned", None),
            ("tokenizer", None),
            ("emailVerified", None),
            ("password_policy_version", None),
            ("token_type", None),
            // a numbered key is its key
            ("password1", Some("password")),
            ("pwd_2", Some("pwd")),
            ("Phone-2", Some("phone")),
            ("sha256", None),
            ("2", None),
            ("passwordConfirm", Some("password_confirm")),
        ] {
            assert_eq!(name(k, &mut buf).as_deref(), rule, "{k}");
        }
    }

    #[test]
    fn changes() {
        let rules = KeyRules::with_changes(&["nomorKartu".into()], &["EMAIL".into()]);
        let mut buf = Vec::new();
        assert!(rules.lookup(b"nomor_kartu", &mut buf).is_some());
        assert!(rules.lookup(b"email", &mut buf).is_none());
        assert!(rules.lookup(b"password", &mut buf).is_some());
    }

    /// What a key matches, straight from the definition: fold it, then the whole key or
    /// any suffix that starts after a `_` is a rule (no filters, no fast paths).
    fn reference(rules: &KeyRules, key: &[u8]) -> Option<usize> {
        reference_written(rules, key).or_else(|| match key {
            [stem @ .., before, last]
                if last.is_ascii_digit()
                    && (before.is_ascii_alphabetic() || b"_-. ".contains(before))
                    && key.iter().any(u8::is_ascii_alphabetic) =>
            {
                reference_written(rules, &key[..stem.len() + 1])
            }
            _ => None,
        })
    }

    fn reference_written(rules: &KeyRules, key: &[u8]) -> Option<usize> {
        let mut f = Vec::new();
        fold(key, &mut f);
        if f.is_empty() || key.len() > MAX_KEY {
            return None;
        }
        std::iter::once(0)
            .chain(
                f.iter()
                    .enumerate()
                    .filter(|(_, &b)| b == b'_')
                    .map(|(i, _)| i + 1),
            )
            .find_map(|i| rules.map.get(&f[i..]).copied())
    }

    proptest! {
        /// The filters and fast paths of `lookup` never change its answer.
        #[test]
        fn lookup_agrees_with_the_definition(
            parts in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec![
                        "pass", "Word", "word", "token", "Token", "TOKEN", "id", "Id", "api",
                        "API", "Key", "key", "hp", "HP", "no", "pin", "sha256", "SHA256", "x1",
                        "X", "e", "mail", "Email", "sandi", "kata", "device", "Device", "user",
                        "_id", "number", "phone",
                    ]).prop_map(String::from),
                    "[a-zA-Z0-9_. -]{1,3}",
                ],
                1..5,
            ),
        ) {
            let key = parts.concat();
            let mut buf = Vec::new();
            for rules in [
                KeyRules::default(),
                KeyRules::new(["sha256", "x1", "e", "api_key", "kata_sandi", "user_pin"]),
                // rules of several words sharing a last word that is no rule alone
                KeyRules::new(["device_id", "x_id", "a_device_id", "phone_number", "no"]),
            ] {
                prop_assert_eq!(
                    rules.lookup(key.as_bytes(), &mut buf),
                    reference(&rules, key.as_bytes()),
                    "{:?}", key
                );
            }
        }

        /// The key scan's quick tests on a key's last two and three bytes never turn away
        /// a key that is a rule (`tel` in every spelling, but not `level`).
        #[test]
        fn end_tests_never_turn_a_rule_away(
            parts in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec![
                        "tel", "Tel", "TEL", "level", "Level", "el", "hp", "Hp", "HP", "no", "No",
                        "wa", "Wa", "WA", "pin", "PIN", "home", "user", "kantor", "pass", "word",
                        "Word", "id", "x", "password", "sword", "authorization", "duration",
                        "version", "rekening", "nama", "pelanggan", "confirmation", "value",
                        "parametervalue", "location", "geo",
                    ]).prop_map(String::from),
                    "[-_.]{1,3}",
                    "[a-zA-Z0-9]{1,2}",
                ],
                1..5,
            ),
        ) {
            let key = parts.concat();
            let k = key.as_bytes();
            let mut buf = Vec::new();
            for rules in [
                KeyRules::default(),
                KeyRules::new(["tel", "no_wa", "pin", "home_tel", "x"]),
                KeyRules::new(["hp", "el", "user_pin", "word"]),
            ] {
                if k.len() < 2 || rules.lookup(k, &mut buf).is_none() {
                    continue;
                }
                let n = k.len();
                prop_assert!(rules.may_end_with(k[n - 2], k[n - 1]), "{:?}", key);
                if n >= 6 {
                    prop_assert!(!rules.six_end_is_no_rule(&k[n - 6..]), "{:?}", key);
                }
                if n >= 3 {
                    prop_assert!(
                        rules.may_end_with_three(k[n - 3], k[n - 2], k[n - 1]),
                        "{:?}", key
                    );
                }
            }
        }
    }

    /// The three-byte test turns away keys that only share a rule's last two bytes.
    #[test]
    fn level_is_not_tel() {
        let rules = KeyRules::default();
        assert!(rules.may_end_with(b'e', b'l'));
        assert!(rules.may_end_with_three(b't', b'e', b'l'));
        assert!(rules.may_end_with_three(b'T', b'e', b'l'));
        for key in ["level", "model", "channel", "label"] {
            let k = key.as_bytes();
            assert!(
                !rules.may_end_with_three(k[k.len() - 3], b'e', b'l'),
                "{key}"
            );
        }
    }
}
