//! The chart of the sensor's modelled energy per key agreement against n, one line per mode:
//! its geometry (logarithmic energy axis, since the modes differ by orders of magnitude), so
//! the app only draws what is computed here.

use crate::roles::Mode;

/// The sensor's energy per key agreement for n = 1, 2, … of one mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub mode: Mode,
    /// (n, mJ), n ascending.
    pub points: Vec<(u8, f64)>,
}

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub mode: Mode,
    /// An SVG path (`M x y L x y …`).
    pub path: String,
    /// Every point: x, y and its value in words ("n = 3: 12.4 mJ").
    pub points: Vec<(f64, f64, String)>,
}

/// The whole chart in SVG user units.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartView {
    pub width: f64,
    pub height: f64,
    /// The plot area: left, top, right, bottom.
    pub plot: (f64, f64, f64, f64),
    pub lines: Vec<Line>,
    /// (y, label) of each decade of energy.
    pub y_ticks: Vec<(f64, String)>,
    /// (x, label) of each n.
    pub x_ticks: Vec<(f64, String)>,
}

/// An energy in words: "0.42 mJ", "12.4 mJ", "2.30 J".
pub fn format_mj(mj: f64) -> String {
    if mj >= 1000.0 {
        format!("{:.2} J", mj / 1000.0)
    } else if mj >= 10.0 {
        format!("{mj:.1} mJ")
    } else if mj >= 0.1 {
        format!("{mj:.2} mJ")
    } else {
        format!("{:.1} µJ", mj * 1000.0)
    }
}

fn decade_label(exp: i32) -> String {
    match exp {
        e if e >= 3 => format!("{} J", 10f64.powi(e - 3)),
        e if e >= 0 => format!("{} mJ", 10f64.powi(e)),
        e if e >= -3 => format!("{} µJ", 10f64.powi(e + 3)),
        e => format!("1e{e} mJ"),
    }
}

/// Lays out `series` in a `width` × `height` box.
pub fn layout(series: &[Series], width: f64, height: f64) -> ChartView {
    let plot = (64.0, 12.0, width - 12.0, height - 36.0);
    let (left, top, right, bottom) = plot;
    let values = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).filter(|v| *v > 0.0);
    let (min, max) = values.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if min.is_finite() && max > 0.0 {
        let lo = min.log10().floor();
        let hi = max.log10().ceil();
        (lo, if hi > lo { hi } else { lo + 1.0 })
    } else {
        (0.0, 1.0)
    };
    let max_n = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).max().unwrap_or(1).max(2);
    let x = |n: u8| left + (f64::from(n) - 1.0) / (f64::from(max_n) - 1.0) * (right - left);
    let y = |v: f64| {
        let l = if v > 0.0 { v.log10() } else { lo };
        bottom - (l - lo) / (hi - lo) * (bottom - top)
    };
    let lines = series
        .iter()
        .map(|s| {
            let points: Vec<(f64, f64, String)> = s
                .points
                .iter()
                .map(|&(n, v)| (x(n), y(v), format!("n = {n}: {}", format_mj(v))))
                .collect();
            let path = points
                .iter()
                .enumerate()
                .map(|(i, (px, py, _))| {
                    format!("{}{px:.1} {py:.1}", if i == 0 { "M" } else { " L" })
                })
                .collect();
            Line { mode: s.mode, path, points }
        })
        .collect();
    let y_ticks =
        ((lo as i32)..=(hi as i32)).map(|e| (y(10f64.powi(e)), decade_label(e))).collect();
    let x_ticks = (1..=max_n).map(|n| (x(n), n.to_string())).collect();
    ChartView { width, height, plot, lines, y_ticks, x_ticks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_by_hand() {
        let s = [
            Series { mode: Mode::Psk, points: vec![(1, 1.0), (2, 1.0)] },
            Series { mode: Mode::Pk, points: vec![(1, 100.0), (2, 100.0)] },
        ];
        let c = layout(&s, 400.0, 200.0);
        // Decades 1 mJ .. 100 mJ: 1 mJ at the bottom (164), 100 mJ at the top (12).
        assert_eq!(c.y_ticks.len(), 3);
        assert_eq!(c.lines[0].points[0].1, 164.0);
        assert_eq!(c.lines[1].points[0].1, 12.0);
        assert_eq!(c.lines[0].points[1].0, 388.0);
        assert!(c.lines[0].path.starts_with("M64.0 164.0 L388.0 164.0"));
        assert_eq!(format_mj(2302.7), "2.30 J");
        assert_eq!(format_mj(0.05), "50.0 µJ");
    }
}
