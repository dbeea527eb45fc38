//! Live progress of a running query, stage by stage. The engine fills it in as tasks start and
//! finish; protocols that can show progress (HiveServer2's progress updates, which beeline draws as
//! a table of stages) read snapshots of it.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The stages of one statement. Empty until the engine has planned it.
#[derive(Debug, Default)]
pub struct Progress {
    stages: Mutex<Vec<Arc<Stage>>>,
}

impl Progress {
    /// Adds a stage of `tasks` parallel tasks, named `name` (short, `Stage-1`) and described by
    /// `detail` (what it does); the engine reports into the returned handle.
    pub fn add_stage(&self, name: impl Into<String>, detail: impl Into<String>, tasks: usize) -> Arc<Stage> {
        let stage = Arc::new(Stage { name: name.into(), detail: detail.into(), tasks, ..Default::default() });
        if let Ok(mut s) = self.stages.lock() {
            s.push(stage.clone());
        }
        stage
    }

    /// What every stage has done so far, in the order the stages were added.
    pub fn snapshot(&self) -> Vec<StageSnapshot> {
        match self.stages.lock() {
            Ok(s) => s.iter().map(|s| s.snapshot()).collect(),
            Err(_) => vec![],
        }
    }
}

/// One stage: a part of the plan run as parallel tasks (one per partition).
#[derive(Debug, Default)]
pub struct Stage {
    name: String,
    detail: String,
    tasks: usize,
    started: AtomicUsize,
    finished: AtomicUsize,
    failed: AtomicUsize,
    rows: AtomicU64,
}

impl Stage {
    /// A task has begun.
    pub fn task_started(&self) {
        self.started.fetch_add(1, Ordering::Relaxed);
    }

    /// A task has ended, with or without an error.
    pub fn task_finished(&self, ok: bool) {
        let counter = if ok { &self.finished } else { &self.failed };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// A task produced `n` rows.
    pub fn add_rows(&self, n: usize) {
        self.rows.fetch_add(n as u64, Ordering::Relaxed);
    }

    fn snapshot(&self) -> StageSnapshot {
        let started = self.started.load(Ordering::Relaxed);
        let completed = self.finished.load(Ordering::Relaxed).min(self.tasks);
        let failed = self.failed.load(Ordering::Relaxed);
        let running = started.saturating_sub(completed + failed).min(self.tasks - completed);
        StageSnapshot {
            name: self.name.clone(),
            detail: self.detail.clone(),
            tasks: self.tasks,
            completed,
            running,
            failed,
            rows: self.rows.load(Ordering::Relaxed),
        }
    }
}

/// A stage's counts at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageSnapshot {
    /// The stage's short name (`Stage-1`...).
    pub name: String,
    /// What it does (its operators).
    pub detail: String,
    /// Its tasks in all.
    pub tasks: usize,
    /// Tasks that have finished.
    pub completed: usize,
    /// Tasks running now.
    pub running: usize,
    /// Tasks that failed.
    pub failed: usize,
    /// Rows its tasks have produced.
    pub rows: u64,
}

impl StageSnapshot {
    /// Tasks not started yet.
    pub fn pending(&self) -> usize {
        self.tasks.saturating_sub(self.completed + self.running + self.failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_tasks_and_rows() {
        let p = Progress::default();
        let s = p.add_stage("Stage-1", "Scan", 3);
        s.task_started();
        s.task_started();
        s.add_rows(10);
        s.task_finished(true);
        let snap = &p.snapshot()[0];
        assert_eq!((snap.tasks, snap.completed, snap.running, snap.pending(), snap.rows), (3, 1, 1, 1, 10));
        // A stage run again (a re-executed partition) never counts past its tasks.
        for _ in 0..5 {
            s.task_started();
            s.task_finished(true);
        }
        let snap = &p.snapshot()[0];
        assert_eq!((snap.completed, snap.running, snap.pending()), (3, 0, 0));
    }
}
