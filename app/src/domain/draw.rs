//! The draw of an application round: after the deadline, a coordinator places applicants into
//! peer-support groups by a fair lottery that anyone can re-run and check.
//!
//! **Fairness** here means two things. First, every applicant has the same chance of every priority
//! rank, whatever the time or order in which they applied. Second, nobody loses a seat to an applicant
//! who said "either" and could have sat elsewhere: as many people are placed as the seats allow, and
//! better-ranked applicants are never passed over for worse-ranked ones who compete for the same seats.
//!
//! # How the draw works
//! 1. **Canonical order.** Applicants and groups are each sorted by id, so the result depends only on
//!    *who* applied and *which* groups exist, never on the order a database happened to list them.
//!    Two applicants (or groups) with the same id are refused.
//! 2. **Priority order.** The sorted applicants are shuffled by Fisher–Yates: for `i` from `n - 1`
//!    down to `1`, position `i` is swapped with a position `j` drawn uniformly from `0..=i`. The random
//!    numbers come from SplitMix64 started at the published seed, and `j` is drawn with Lemire's
//!    multiply-shift method (the 128-bit product of a random 64-bit number and `i + 1`; its high half
//!    is `j`, and it is redrawn while its low half is below `2^64 mod (i + 1)`), so no position is
//!    favoured. The shuffled list is the priority order, best rank first.
//! 3. **Placement.** Applicants are taken in priority order. Each is accepted if everyone accepted so
//!    far plus this applicant can sit in groups they are eligible for, within the seats. To find out,
//!    the draw looks for a free seat; failing that, it tries to move an accepted applicant to another
//!    group they also accept, possibly as a chain of moves (an "augmenting path"). Accepted applicants
//!    are moved, never dropped. If no chain exists the applicant joins the waitlist. To be
//!    reproducible the search is fixed: an applicant being seated (or moved) takes a free seat in the
//!    lowest-id eligible group that has one; only if all are full does it try, group by group in
//!    increasing id order, to move that group's occupants (best rank first) the same way, depth
//!    first. Each full group is tried at most once per search.
//! 4. **Result.** For every group (by id) its members in priority order; the waitlist in priority
//!    order; and the whole priority order for publication.
//!
//! Eligibility: in person means a group of the applicant's own district (codes compared exactly),
//! virtual means a virtual group, either means both; nobody takes two seats.
//!
//! **Why moves are needed.** Toronto has one in-person seat and there is one virtual seat. Ana
//! (either, Toronto) is drawn first, Ben (in person, Toronto) second. Taking the first free seat would
//! put Ana in Toronto and waitlist Ben. The augmenting path moves Ana to the virtual group and gives Ben
//! the Toronto seat. In matroid terms this is the greedy algorithm on a transversal matroid: it places
//! the largest possible number of people and, among such placements, prefers the better ranks.
//!
//! **Re-running.** The same seed with the same groups (id, setting, seats) and applicants (id,
//! district, preference) gives the identical result on any machine. The seed is published as 16
//! lowercase hex digits ([`seed_to_hex`]).

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// What an applicant accepts, as stated on the application; decides which groups they may join.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preference {
    InPerson,
    Virtual,
    Either,
}

/// Where a group meets; in-person groups are tied to one district so members can attend.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Setting {
    InPerson { district: String },
    Virtual,
}

/// A group open in this round; `seats` counts members only (the facilitator is not drawn).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Group {
    pub id: u64,
    pub setting: Setting,
    pub seats: u32,
}

/// One application; `id` must be stable (e.g. the database id) because the draw sorts by it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Applicant {
    pub id: u64,
    pub district: String,
    pub preference: Preference,
}

/// The published outcome, ordered so that two runs can be compared field by field.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Draw {
    /// Every group by increasing id, with its members' applicant ids in priority order.
    pub groups: Vec<(u64, Vec<u64>)>,
    /// Applicants not placed, in priority order: the first is offered the first freed seat.
    pub waitlist: Vec<u64>,
    /// All applicant ids, best rank first, so the lottery itself can be published and audited.
    pub priority: Vec<u64>,
}

/// Inputs the draw refuses, because a repeated id would make the canonical order ambiguous.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DrawError {
    DuplicateApplicant(u64),
    DuplicateGroup(u64),
}

impl fmt::Display for DrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DrawError::DuplicateApplicant(id) => write!(f, "applicant {id} appears more than once"),
            DrawError::DuplicateGroup(id) => write!(f, "group {id} appears more than once"),
        }
    }
}

impl std::error::Error for DrawError {}

/// Whether `applicant` may be seated in `group`; the single rule both the draw and the UI rely on.
pub fn eligible(applicant: &Applicant, group: &Group) -> bool {
    match (&group.setting, applicant.preference) {
        (Setting::Virtual, Preference::Virtual | Preference::Either) => true,
        (Setting::InPerson { district }, Preference::InPerson | Preference::Either) => {
            *district == applicant.district
        }
        _ => false,
    }
}

/// Runs the draw described in the module documentation; pure, so the published seed reproduces it.
pub fn draw(seed: u64, groups: &[Group], applicants: &[Applicant]) -> Result<Draw, DrawError> {
    let mut groups: Vec<&Group> = groups.iter().collect();
    groups.sort_by_key(|group| group.id);
    if let Some(pair) = groups.windows(2).find(|pair| pair[0].id == pair[1].id) {
        return Err(DrawError::DuplicateGroup(pair[0].id));
    }
    let mut priority: Vec<&Applicant> = applicants.iter().collect();
    priority.sort_by_key(|applicant| applicant.id);
    if let Some(pair) = priority.windows(2).find(|pair| pair[0].id == pair[1].id) {
        return Err(DrawError::DuplicateApplicant(pair[0].id));
    }

    let mut rng = SplitMix64(seed);
    for i in (1..priority.len()).rev() {
        priority.swap(i, rng.below(i as u64 + 1) as usize);
    }

    // From here on applicants are named by rank (index into `priority`) and groups by index into the
    // sorted `groups`, so ordered containers give priority order and id order for free.
    let eligible_groups: Vec<Vec<usize>> = priority
        .iter()
        .map(|applicant| (0..groups.len()).filter(|&g| eligible(applicant, groups[g])).collect())
        .collect();
    let capacity: Vec<usize> = groups.iter().map(|group| group.seats as usize).collect();
    let mut seating = Seating {
        eligible_groups: &eligible_groups,
        capacity: &capacity,
        occupants: vec![BTreeSet::new(); groups.len()],
    };
    let mut waitlist = Vec::new();
    for (rank, applicant) in priority.iter().enumerate() {
        if !seating.seat(rank, &mut vec![false; groups.len()]) {
            waitlist.push(applicant.id);
        }
    }

    Ok(Draw {
        groups: groups
            .iter()
            .zip(&seating.occupants)
            .map(|(group, ranks)| (group.id, ranks.iter().map(|&rank| priority[rank].id).collect()))
            .collect(),
        waitlist,
        priority: priority.iter().map(|applicant| applicant.id).collect(),
    })
}

/// What is published after a draw: enough for anyone to run [`draw`] again and compare. The
/// applicants appear only by number, district and preference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDraw {
    /// The seed, as [`seed_to_hex`] writes it.
    pub seed: String,
    pub groups: Vec<Group>,
    pub applicants: Vec<Applicant>,
    pub result: Draw,
    /// Places given up after the draw, in the order they were, each with who took it: the
    /// draw's result stays as drawn, so it still re-runs to the same.
    #[serde(default)]
    pub replacements: Vec<Replacement>,
}

/// A member left a group after the draw (by number, like everything published), and the
/// applicant of the waitlist who took the place, if anyone waiting could join that group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    pub group: u64,
    pub left: u64,
    pub promoted: Option<u64>,
}

impl PublishedDraw {
    /// Who takes a place freed in `group` after the draw: the first applicant of the published
    /// waitlist, in draw order, who is `still_waiting` and whom the group admits (the draw's
    /// own rule, [`eligible`]). `None` when nobody waiting may join it.
    pub fn next_in_line(&self, group: u64, still_waiting: &[u64]) -> Option<u64> {
        let group = self.groups.iter().find(|candidate| candidate.id == group)?;
        self.result.waitlist.iter().copied().find(|id| {
            still_waiting.contains(id)
                && self.applicants.iter().any(|applicant| applicant.id == *id && eligible(applicant, group))
        })
    }

    /// Runs the draw again on the published inputs with `seed`; `None` for a malformed seed.
    pub fn rerun(&self, seed: &str) -> Option<Result<Draw, DrawError>> {
        let seed = seed_from_hex(seed.trim())?;
        Some(draw(seed, &self.groups, &self.applicants))
    }
}

/// Formats a seed the way it is published, so a re-run can be started from the announcement.
pub fn seed_to_hex(seed: u64) -> String {
    format!("{seed:016x}")
}

/// Reads a published seed: exactly 16 hex digits (either case), anything else is refused.
pub fn seed_from_hex(text: &str) -> Option<u64> {
    if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(text, 16).ok()
}

/// The seats as the placement step fills them; applicants are ranks, groups are sorted indices.
struct Seating<'a> {
    eligible_groups: &'a [Vec<usize>],
    capacity: &'a [usize],
    occupants: Vec<BTreeSet<usize>>,
}

impl Seating<'_> {
    /// Seats `rank`, moving seated applicants along an augmenting path if needed. Returns false, with
    /// nothing changed, when no path exists. A free seat is taken before anyone is moved, so nobody
    /// is shuffled between groups without need. `visited` marks full groups already tried in this
    /// search, which both bounds the search and keeps it from undoing its own moves.
    fn seat(&mut self, rank: usize, visited: &mut [bool]) -> bool {
        let eligible_groups = &self.eligible_groups[rank];
        let free =
            eligible_groups.iter().find(|&&g| !visited[g] && self.occupants[g].len() < self.capacity[g]);
        if let Some(&group) = free {
            self.occupants[group].insert(rank);
            return true;
        }
        for &group in eligible_groups {
            if visited[group] {
                continue;
            }
            visited[group] = true;
            // A snapshot is safe: deeper steps never touch this group, which is now visited.
            for occupant in self.occupants[group].clone() {
                if self.seat(occupant, visited) {
                    self.occupants[group].remove(&occupant);
                    self.occupants[group].insert(rank);
                    return true;
                }
            }
        }
        false
    }
}

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014;
/// constants as in Vigna's public-domain `splitmix64.c`). Chosen because it is tiny, well tested and
/// easy to re-implement from this description: the state is the seed, and each step adds the golden
/// ratio constant and scrambles the sum.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (bound > 0) by Lemire's multiply-shift; the rejection of low halves
    /// below `2^64 mod bound` removes the bias a plain `% bound` would have.
    fn below(&mut self, bound: u64) -> u64 {
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(bound);
            if product as u64 >= threshold {
                return (product >> 64) as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applicant(id: u64, district: &str, preference: Preference) -> Applicant {
        Applicant { id, district: district.to_string(), preference }
    }

    fn in_person(id: u64, district: &str, seats: u32) -> Group {
        Group { id, setting: Setting::InPerson { district: district.to_string() }, seats }
    }

    fn online(id: u64, seats: u32) -> Group {
        Group { id, setting: Setting::Virtual, seats }
    }

    fn virtual_applicants(count: u64) -> Vec<Applicant> {
        (1..=count).map(|id| applicant(id, "toronto", Preference::Virtual)).collect()
    }

    #[test]
    fn a_freed_place_goes_to_the_first_still_waiting_whom_the_group_admits() {
        let groups = vec![in_person(1, "toronto", 1), online(2, 1)];
        let applicants = vec![
            applicant(10, "ottawa", Preference::InPerson),
            applicant(11, "toronto", Preference::Virtual),
            applicant(12, "toronto", Preference::Either),
            applicant(13, "toronto", Preference::InPerson),
        ];
        let published = PublishedDraw {
            seed: seed_to_hex(7),
            groups,
            applicants,
            result: Draw { groups: vec![], waitlist: vec![10, 11, 12, 13], priority: vec![] },
            replacements: vec![],
        };
        let everyone = [10, 11, 12, 13];
        // Ottawa is not Toronto; 11 accepts only virtual groups.
        assert_eq!(published.next_in_line(1, &everyone), Some(12));
        assert_eq!(published.next_in_line(2, &everyone), Some(11));
        // Those who left the waitlist (withdrew, or took another place) are passed over.
        assert_eq!(published.next_in_line(1, &[10, 11, 13]), Some(13));
        assert_eq!(published.next_in_line(2, &[10, 13]), None);
        assert_eq!(published.next_in_line(99, &everyone), None, "no such group");
    }

    #[test]
    fn a_draw_published_before_replacements_existed_still_reads() {
        let json = r#"{"seed":"0000000000000007","groups":[],"applicants":[],
            "result":{"groups":[],"waitlist":[],"priority":[]}}"#;
        let published: PublishedDraw = serde_json::from_str(json).unwrap();
        assert!(published.replacements.is_empty());
    }

    fn chi_square(observed: &[u64], expected: f64) -> f64 {
        observed.iter().map(|&o| (o as f64 - expected).powi(2) / expected).sum()
    }

    #[test]
    fn splitmix64_matches_reference_outputs() {
        let mut rng = SplitMix64(1234567);
        let outputs: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
        assert_eq!(
            outputs,
            [
                6457827717110365317,
                3203168211198807973,
                9817491932198370423,
                4593380528125082431,
                16408922859458223821
            ]
        );
    }

    #[test]
    fn priority_order_is_pinned_for_a_known_seed() {
        // Published draws must stay re-runnable: if this changes, old results can no longer be checked.
        let result = draw(42, &[online(1, 3)], &virtual_applicants(6)).unwrap();
        assert_eq!(result.priority, [3, 6, 4, 2, 1, 5]);
    }

    #[test]
    fn same_inputs_in_any_order_give_the_same_draw_and_seeds_differ() {
        let groups = [in_person(7, "toronto", 2), online(3, 2), in_person(5, "ottawa", 1)];
        let mut applicants: Vec<Applicant> = (1..=10)
            .map(|id| {
                let preference =
                    [Preference::InPerson, Preference::Virtual, Preference::Either][id as usize % 3];
                applicant(id * 11, if id % 2 == 0 { "toronto" } else { "ottawa" }, preference)
            })
            .collect();
        let first = draw(99, &groups, &applicants).unwrap();
        applicants.reverse();
        let reversed_groups: Vec<Group> = groups.iter().rev().cloned().collect();
        assert_eq!(draw(99, &reversed_groups, &applicants).unwrap(), first);

        let priorities: BTreeSet<Vec<u64>> =
            (0..5).map(|seed| draw(seed, &groups, &applicants).unwrap().priority).collect();
        assert_eq!(priorities.len(), 5);
    }

    #[test]
    fn selection_and_first_waitlist_place_are_uniform() {
        // Verified: a naive shuffle (swap each position with any of the n positions) fails both checks,
        // and so does an off-by-one Fisher–Yates drawing j from 0..i.
        let applicants = virtual_applicants(10);
        let runs = 20_000;
        let (mut selected, mut first_waitlisted) = ([0u64; 10], [0u64; 10]);
        for seed in 0..runs {
            let result = draw(seed, &[online(1, 4)], &applicants).unwrap();
            for &id in &result.groups[0].1 {
                selected[id as usize - 1] += 1;
            }
            first_waitlisted[result.waitlist[0] as usize - 1] += 1;
        }
        // 9 degrees of freedom; 33.7 is the 0.01% critical value, generous for fixed seeds.
        assert!(chi_square(&selected, runs as f64 * 0.4) < 33.7, "selection counts {selected:?}");
        assert!(chi_square(&first_waitlisted, runs as f64 * 0.1) < 33.7, "waitlist {first_waitlisted:?}");
    }

    #[test]
    fn eligibility_follows_preference_and_district() {
        let (toronto, ottawa, virtual_group) =
            (in_person(1, "toronto", 1), in_person(2, "ottawa", 1), online(3, 1));
        for (preference, expected) in [
            (Preference::InPerson, [true, false, false]),
            (Preference::Virtual, [false, false, true]),
            (Preference::Either, [true, false, true]),
        ] {
            let person = applicant(1, "toronto", preference);
            assert_eq!([&toronto, &ottawa, &virtual_group].map(|group| eligible(&person, group)), expected);
        }
    }

    #[test]
    fn flexible_applicant_is_moved_instead_of_blocking_someone() {
        let groups = [in_person(1, "toronto", 1), online(2, 1)];
        let applicants =
            [applicant(10, "toronto", Preference::Either), applicant(20, "toronto", Preference::InPerson)];
        let mut either_drawn_first = 0;
        for seed in 0..100 {
            let result = draw(seed, &groups, &applicants).unwrap();
            either_drawn_first += u32::from(result.priority[0] == 10);
            assert_eq!(result.groups, [(1, vec![20]), (2, vec![10])], "seed {seed}");
            assert!(result.waitlist.is_empty());
        }
        assert!(either_drawn_first > 0, "the re-seating case was never exercised");
    }

    #[test]
    fn random_rounds_respect_eligibility_seats_and_conservation() {
        let mut rng = SplitMix64(7);
        let districts = ["toronto", "ottawa", "sudbury"];
        let preferences = [Preference::InPerson, Preference::Virtual, Preference::Either];
        for round in 0..500 {
            let groups: Vec<Group> = (0..rng.below(5))
                .map(|id| match rng.below(3) {
                    0 => online(id, 1 + rng.below(3) as u32),
                    _ => in_person(id, districts[rng.below(2) as usize], 1 + rng.below(3) as u32),
                })
                .collect();
            let applicants: Vec<Applicant> = (0..rng.below(14))
                .map(|id| {
                    let district = districts[rng.below(3) as usize];
                    applicant(id, district, preferences[rng.below(3) as usize])
                })
                .collect();
            let result = draw(round, &groups, &applicants).unwrap();
            let mut seen: Vec<u64> = result.waitlist.clone();
            let mut free_seats = Vec::new();
            for ((id, members), group) in result.groups.iter().zip(&groups) {
                assert_eq!(*id, group.id);
                assert!(members.len() <= group.seats as usize);
                assert!(members.iter().all(|&m| eligible(&applicants[m as usize], group)), "round {round}");
                seen.extend(members);
                if members.len() < group.seats as usize {
                    free_seats.push(group);
                }
            }
            seen.sort();
            assert_eq!(seen, (0..applicants.len() as u64).collect::<Vec<_>>(), "round {round}");
            for &waiting in &result.waitlist {
                assert!(!free_seats.iter().any(|group| eligible(&applicants[waiting as usize], group)));
            }
        }
    }

    #[test]
    fn small_groups_take_the_best_ranks_and_the_rest_wait_in_order() {
        let groups = [online(1, 3), online(2, 2)];
        for seed in 0..50 {
            let result = draw(seed, &groups, &virtual_applicants(12)).unwrap();
            assert_eq!(result.groups[0].1, result.priority[..3]);
            assert_eq!(result.groups[1].1, result.priority[3..5]);
            assert_eq!(result.waitlist, result.priority[5..]);
        }
    }

    #[test]
    fn large_groups_place_everyone_who_has_an_eligible_group() {
        let groups = [online(1, 11), in_person(2, "toronto", 11)];
        let applicants = [
            applicant(1, "toronto", Preference::InPerson),
            applicant(2, "ottawa", Preference::Either),
            applicant(3, "ottawa", Preference::InPerson),
            applicant(4, "sudbury", Preference::Virtual),
        ];
        for seed in 0..20 {
            let result = draw(seed, &groups, &applicants).unwrap();
            let mut online_members = result.groups[0].1.clone();
            online_members.sort();
            assert_eq!(online_members, [2, 4]);
            assert_eq!(result.groups[1].1, [1]);
            assert_eq!(result.waitlist, [3]);
        }
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let twice =
            [applicant(4, "toronto", Preference::Virtual), applicant(4, "ottawa", Preference::Either)];
        assert_eq!(draw(1, &[online(1, 2)], &twice), Err(DrawError::DuplicateApplicant(4)));
        assert_eq!(draw(1, &[online(8, 2), online(8, 3)], &[]), Err(DrawError::DuplicateGroup(8)));
    }

    #[test]
    fn a_published_draw_reruns_to_the_same_result_only_with_its_own_seed() {
        let groups = vec![in_person(1, "7", 2), online(2, 2)];
        let applicants: Vec<Applicant> = (1..=7)
            .map(|id| {
                applicant(
                    id,
                    if id % 2 == 0 { "7" } else { "11" },
                    [Preference::Either, Preference::Virtual, Preference::InPerson][id as usize % 3],
                )
            })
            .collect();
        let published = PublishedDraw {
            seed: seed_to_hex(2024),
            result: draw(2024, &groups, &applicants).unwrap(),
            groups,
            applicants,
            replacements: vec![Replacement { group: 1, left: 3, promoted: Some(9) }],
        };
        let json = serde_json::to_string(&published).unwrap();
        let read: PublishedDraw = serde_json::from_str(&json).unwrap();
        assert_eq!(read.rerun(&read.seed), Some(Ok(published.result.clone())));
        assert_ne!(read.rerun(&seed_to_hex(2025)), Some(Ok(published.result.clone())));
        assert_eq!(read.rerun("not a seed"), None);
    }

    #[test]
    fn seed_hex_round_trips_and_rejects_malformed_text() {
        for seed in [0, 1, 0xDEAD_BEEF, u64::MAX] {
            let text = seed_to_hex(seed);
            assert_eq!(text.len(), 16);
            assert_eq!(seed_from_hex(&text), Some(seed));
        }
        assert_eq!(seed_to_hex(255), "00000000000000ff");
        assert_eq!(seed_from_hex("00000000000000FF"), Some(255));
        for bad in ["ff", "+000000000000000", "000000000000000g", "00000000000000000"] {
            assert_eq!(seed_from_hex(bad), None, "{bad}");
        }
    }
}
