//! Where a match that a forward search found starts: each pattern's own reverse automaton,
//! run back from the match's end.
//!
//! Compiling one is most of the cost of a pattern at start-up (its reverse NFA), and most
//! runs need few of them: a clean log matches almost no pattern, a short input only some.
//! So each is compiled the first time a match of its pattern needs it, once for all
//! threads, and each thread makes its cache for it then.

use std::sync::{Arc, OnceLock};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::Hir;

/// One pattern's reverse automaton, compiled on first use.
#[derive(Debug)]
pub(crate) struct Reverse {
    hir: Arc<Hir>,
    /// `None` inside: it could not be compiled (the caller's other search answers instead).
    dfa: OnceLock<Option<DFA>>,
}

impl Reverse {
    pub(crate) fn new(hir: Arc<Hir>) -> Reverse {
        Reverse {
            hir,
            dfa: OnceLock::new(),
        }
    }

    /// The leftmost start of a match of the pattern that ends at `input.end()` and starts
    /// in `input`'s span (`input` anchored), or `None` when there is none or this
    /// automaton cannot answer (it could not be compiled, or its search gave up).
    /// `cache` is this thread's cache for it (made here the first time).
    pub(crate) fn start(&self, cache: &mut Option<Cache>, input: &Input<'_>) -> Option<usize> {
        let dfa = self.dfa.get_or_init(|| compile(&self.hir)).as_ref()?;
        let cache = cache.get_or_insert_with(|| dfa.create_cache());
        dfa.try_search_rev(cache, input).ok()?.map(|m| m.offset())
    }

    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.dfa.get().is_some()
    }
}

/// The pattern reversed, for finding where its matches start (all matches: the longest
/// one backwards is the leftmost start).
fn compile(hir: &Hir) -> Option<DFA> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .reverse(true)
                .which_captures(thompson::WhichCaptures::None),
        )
        .build_from_hir(hir)
        .ok()?;
    DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(1 << 20),
        )
        .build_from_nfa(nfa)
        .ok()
}
