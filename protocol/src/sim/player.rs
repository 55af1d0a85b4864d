//! Time travel for the UI: a [`Player`] wraps anything that steps deterministically (the
//! [`Simulation`](super::Simulation)) and keeps snapshots, so it can step back, seek to any
//! earlier or later step, and fork.
//!
//! A snapshot is a clone of the whole simulation (roles, keys, RNG states, packets, events,
//! intruder); role state holds its keys behind `Arc`s so a clone is cheap. Snapshots are taken
//! every [`SNAPSHOT_EVERY`] steps; seeking restores the nearest earlier snapshot and re-runs
//! the remaining steps, which gives the same state because stepping is deterministic.
//! Applying a command at step s discards every snapshot after s: the future is re-played
//! from there with the command in force (a fork of the timeline).

/// Something that advances one deterministic step at a time.
pub trait Steppable: Clone {
    /// Advances one step; `false` when nothing is left to do.
    fn step_once(&mut self) -> bool;
}

/// Steps between two snapshots.
pub const SNAPSHOT_EVERY: usize = 4;

/// A stepper with snapshots (see the module docs).
#[derive(Debug, Clone)]
pub struct Player<S: Steppable> {
    current: S,
    position: usize,
    /// `(step, state at that step)`, sorted by step; always holds step 0.
    snapshots: Vec<(usize, S)>,
    /// Number of steps the timeline has (known once it has been run that far).
    end: Option<usize>,
    furthest: usize,
}

impl<S: Steppable> Player<S> {
    /// A player positioned at step 0 of `start`.
    pub fn new(start: S) -> Self {
        Player {
            snapshots: vec![(0, start.clone())],
            current: start,
            position: 0,
            end: None,
            furthest: 0,
        }
    }

    /// The state at the current position.
    pub fn current(&self) -> &S {
        &self.current
    }

    /// Steps taken since the start.
    pub fn position(&self) -> usize {
        self.position
    }

    /// The furthest step reached so far on this timeline.
    pub fn furthest(&self) -> usize {
        self.furthest
    }

    /// The last step of the timeline, once it has been reached.
    pub fn end(&self) -> Option<usize> {
        self.end
    }

    /// One step forward; `false` at the end of the timeline.
    pub fn step_forward(&mut self) -> bool {
        if self.end == Some(self.position) {
            return false;
        }
        // An edit made at the next step lives only in its snapshot: take it (stepping would
        // give the state without the edit; without an edit both are the same).
        let next = self.position + 1;
        if let Some((_, snap)) = self.snapshots.iter().find(|(s, _)| *s == next) {
            self.current = snap.clone();
            self.position = next;
            self.furthest = self.furthest.max(next);
            return true;
        }
        if self.current.step_once() {
            self.position += 1;
            self.furthest = self.furthest.max(self.position);
            if self.position.is_multiple_of(SNAPSHOT_EVERY)
                && !self.snapshots.iter().any(|(s, _)| *s == self.position)
            {
                let at = self.snapshots.partition_point(|(s, _)| *s < self.position);
                self.snapshots.insert(at, (self.position, self.current.clone()));
            }
            true
        } else {
            self.end = Some(self.position);
            false
        }
    }

    /// One step back; `false` at step 0.
    pub fn step_back(&mut self) -> bool {
        if self.position == 0 {
            return false;
        }
        self.seek(self.position - 1);
        true
    }

    /// Goes to step `target` (clamped to the end of the timeline); returns the step reached.
    pub fn seek(&mut self, target: usize) -> usize {
        // The latest snapshot at or before the target; restoring it is needed when going back,
        // and also when going forward past an edit (the edit lives only in its snapshot).
        let best = self.snapshots.iter().rev().find(|(s, _)| *s <= target);
        if let Some((step, snap)) = best
            && (target < self.position || *step > self.position)
        {
            self.current = snap.clone();
            self.position = *step;
        }
        while self.position < target && self.step_forward() {}
        self.position
    }

    /// Runs to the end of the timeline, at most `cap` more steps; returns the step reached.
    pub fn run(&mut self, cap: usize) -> usize {
        for _ in 0..cap {
            if !self.step_forward() {
                break;
            }
        }
        self.position
    }

    /// Changes the state at the current position (e.g. applies an attacker command): the
    /// timeline after this step is forgotten and will be re-played with the change.
    pub fn edit<R>(&mut self, f: impl FnOnce(&mut S) -> R) -> R {
        let r = f(&mut self.current);
        let here = self.position;
        self.snapshots.retain(|(s, _)| *s < here);
        self.snapshots.push((here, self.current.clone()));
        self.end = None;
        self.furthest = here;
        r
    }

    /// Like [`Player::edit`] for a change that can be refused: `f` must leave the state as it
    /// was when it returns an error (as [`super::Simulation::apply`] does), and then the
    /// timeline is kept as it was — commands given later on it stay in force.
    pub fn try_edit<R, E>(&mut self, f: impl FnOnce(&mut S) -> Result<R, E>) -> Result<R, E> {
        let r = f(&mut self.current)?;
        self.edit(|_| ());
        Ok(r)
    }

    /// A new player that starts from the current state (an independent branch).
    pub fn fork(&self) -> Self {
        Player::new(self.current.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts to a limit, remembering the trace; `bump` changes the future like a command.
    #[derive(Clone, Debug, PartialEq)]
    struct Counter {
        trace: Vec<u32>,
        add: u32,
        limit: usize,
    }

    impl Steppable for Counter {
        fn step_once(&mut self) -> bool {
            if self.trace.len() >= self.limit {
                return false;
            }
            let last = self.trace.last().copied().unwrap_or(0);
            self.trace.push(last + self.add);
            true
        }
    }

    fn counter() -> Counter {
        Counter { trace: vec![], add: 1, limit: 10 }
    }

    #[test]
    fn step_back_gives_the_same_state_as_stepping_there() {
        let mut p = Player::new(counter());
        assert_eq!(p.run(100), 10);
        assert_eq!(p.end(), Some(10));
        assert!(!p.step_forward());
        assert!(p.step_back());
        assert_eq!(p.current().trace, (1..=9).collect::<Vec<_>>());
        assert_eq!(p.seek(3), 3);
        assert_eq!(p.current().trace, vec![1, 2, 3]);
        assert_eq!(p.seek(0), 0);
        assert!(p.current().trace.is_empty());
        assert_eq!(p.seek(99), 10);
    }

    #[test]
    fn an_edit_forks_the_future() {
        let mut p = Player::new(counter());
        p.run(100);
        p.seek(5);
        p.edit(|c| c.add = 10);
        assert_eq!(p.end(), None);
        p.run(100);
        assert_eq!(p.current().trace, vec![1, 2, 3, 4, 5, 15, 25, 35, 45, 55]);
        p.seek(2);
        assert_eq!(p.current().trace, vec![1, 2]);
        p.seek(7);
        assert_eq!(p.current().trace, vec![1, 2, 3, 4, 5, 15, 25]);
        // From before the edit straight past it: the edit is still in force.
        p.seek(1);
        p.seek(8);
        assert_eq!(p.current().trace, vec![1, 2, 3, 4, 5, 15, 25, 35]);
    }

    #[test]
    fn stepping_back_and_forward_keeps_an_edit() {
        let mut p = Player::new(counter());
        p.seek(5);
        p.edit(|c| c.add = 10);
        assert!(p.step_back());
        assert!(p.step_forward());
        assert_eq!(p.current().add, 10, "the edit at step 5 is in force again at step 5");
        assert!(p.step_forward());
        assert_eq!(p.current().trace, vec![1, 2, 3, 4, 5, 15]);
        p.seek(2);
        p.run(2);
        p.step_forward();
        assert_eq!(p.current().trace, vec![1, 2, 3, 4, 5]);
        assert_eq!(p.current().add, 10);
    }

    #[test]
    fn a_refused_edit_keeps_the_timeline() {
        let mut p = Player::new(counter());
        p.seek(6);
        p.edit(|c| c.add = 10);
        p.run(100);
        p.seek(2);
        let refused: Result<(), &str> = p.try_edit(|_| Err("no"));
        assert!(refused.is_err());
        assert_eq!(p.end(), Some(10), "the explored timeline is kept");
        p.seek(8);
        assert_eq!(p.current().trace, vec![1, 2, 3, 4, 5, 6, 16, 26]);
        let applied: Result<(), ()> = p.try_edit(|c| {
            c.add = 1;
            Ok(())
        });
        assert_eq!(applied, Ok(()));
        assert_eq!(p.end(), None);
        p.run(100);
        assert_eq!(p.current().trace, vec![1, 2, 3, 4, 5, 6, 16, 26, 27, 28]);
    }

    #[test]
    fn a_fork_is_independent() {
        let mut p = Player::new(counter());
        p.seek(4);
        let mut f = p.fork();
        f.edit(|c| c.add = 2);
        f.run(2);
        p.run(2);
        assert_eq!(f.current().trace, vec![1, 2, 3, 4, 6, 8]);
        assert_eq!(p.current().trace, vec![1, 2, 3, 4, 5, 6]);
    }
}
