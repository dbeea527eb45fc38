//! A running statement's stages as HiveServer2 shows them: the V10 progress update (which beeline
//! draws as its table of stages, nine columns wide) and the progress lines of the operation log.

use std::sync::Arc;

use hivewire_backend::StageSnapshot;
use thrift::OrderedFloat;

use crate::operation::Operation;
use crate::tcli_service::{TJobExecutionStatus, TProgressUpdateResp};

/// The columns of the progress table. Beeline formats exactly nine.
const HEADERS: [&str; 9] = ["STAGES", "MODE", "STATUS", "TOTAL", "COMPLETED", "RUNNING", "PENDING", "FAILED", "KILLED"];

/// The progress update for a statement whose stages are `stages`; `running` while it has not
/// reached its first rows.
pub fn update(stages: &[StageSnapshot], running: bool, started_ms: i64) -> TProgressUpdateResp {
    let total: usize = stages.iter().map(|s| s.tasks).sum();
    let completed: usize = stages.iter().map(|s| s.completed).sum();
    let fraction = match (running, total) {
        (false, _) => 1.0,
        (true, 0) => 0.0,
        (true, t) => completed as f64 / t as f64,
    };
    let rows = stages.iter().map(|s| row(s, running)).collect();
    let done = stages.iter().filter(|s| s.completed == s.tasks).count();
    let footer = format!("STAGES: {done:02}/{:02}", stages.len());
    let status = if running { TJobExecutionStatus::IN_PROGRESS } else { TJobExecutionStatus::COMPLETE };
    TProgressUpdateResp::new(HEADERS.iter().map(|h| h.to_string()).collect(), rows, OrderedFloat(fraction), status, footer, started_ms)
}

fn row(s: &StageSnapshot, running: bool) -> Vec<String> {
    let status = if s.failed > 0 {
        "FAILED"
    } else if s.completed == s.tasks {
        "SUCCEEDED"
    } else if s.running > 0 || (s.completed > 0 && running) {
        "RUNNING"
    } else if running {
        "PENDING"
    } else {
        // The statement has its first rows; the stage goes on as they are fetched.
        "STREAMING"
    };
    // Beeline's first column is 16 wide: the name padded with dots, as Hive prints its stages.
    let name = format!("{:.<16}", format!("{} ", s.name));
    vec![
        name,
        "local".into(),
        status.into(),
        s.tasks.to_string(),
        s.completed.to_string(),
        s.running.to_string(),
        s.pending().to_string(),
        s.failed.to_string(),
        "0".into(),
    ]
}

/// One line for the operation log: each stage's finished tasks.
pub fn summary(stages: &[StageSnapshot]) -> String {
    stages.iter().map(|s| format!("{} {}/{}", s.name, s.completed, s.tasks)).collect::<Vec<_>>().join(", ")
}

/// Logs the statement's stages, what each does, once it is planned.
pub fn log_stages(op: &Operation) {
    for s in op.progress.snapshot() {
        let plural = if s.tasks == 1 { "" } else { "s" };
        op.log(format!("{}: {} ({} task{plural})", s.name, s.detail, s.tasks));
    }
}

/// Logs the stages' progress each second while `op` runs.
pub fn spawn_logger(op: Arc<Operation>) {
    tokio::spawn(async move {
        let mut last = String::new();
        loop {
            tokio::select! {
                _ = op.done.notified() => {}
                _ = tokio::time::sleep(std::time::Duration::from_millis(1000)) => {}
            }
            if !op.is_running().await {
                break;
            }
            let line = summary(&op.progress.snapshot());
            if !line.is_empty() && line != last {
                op.log(format!("Progress: {line}"));
                last = line;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(name: &str, tasks: usize, completed: usize, running: usize) -> StageSnapshot {
        StageSnapshot { name: name.into(), detail: "Scan".into(), tasks, completed, running, failed: 0, rows: 0 }
    }

    #[test]
    fn nine_columns_and_a_fraction() {
        let u = update(&[stage("Stage-1", 4, 4, 0), stage("Stage-2", 4, 1, 3)], true, 0);
        assert_eq!(u.header_names.len(), 9);
        assert!(u.rows.iter().all(|r| r.len() == 9));
        assert_eq!(u.rows[0][0], "Stage-1 ........");
        assert_eq!(u.rows[0][2], "SUCCEEDED");
        assert_eq!(u.rows[1][2], "RUNNING");
        assert_eq!(u.rows[1][6], "0");
        assert_eq!(u.progressed_percentage, OrderedFloat(5.0 / 8.0));
        assert_eq!(u.footer_summary, "STAGES: 01/02");
        assert_eq!(u.status, TJobExecutionStatus::IN_PROGRESS);
        let done = update(&[stage("Stage-1", 4, 4, 0)], false, 0);
        assert_eq!(done.progressed_percentage, OrderedFloat(1.0));
        assert_eq!(done.status, TJobExecutionStatus::COMPLETE);
    }
}
