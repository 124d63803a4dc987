//! Hand-written SVG plots: grouped bars and scatter plots (linear or
//! log-log), enough for the report and nothing more. Each plot is a
//! self-contained `<svg>` element that can be inlined into HTML.

use std::fmt::Write;

const W: f64 = 540.0;
const H: f64 = 340.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 80.0;
/// Colours of successive series.
pub const PALETTE: &[&str] = &[
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
];

/// Escape text for XML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One series of a bar chart.
pub struct Bars<'a> {
    /// Legend label.
    pub name: &'a str,
    /// One value per category.
    pub values: Vec<f64>,
    /// Optional text above each bar.
    pub labels: Vec<String>,
}

fn header(out: &mut String, id: &str, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" id="{}" class="plot" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11"><title>{}</title><rect width="{W}" height="{H}" fill="white"/><text x="{}" y="22" text-anchor="middle" font-size="14" font-weight="bold">{}</text>"#,
        esc(id),
        esc(title),
        W / 2.0,
        esc(title)
    );
}

/// Round `x` up to a "nice" axis maximum.
pub fn nice_max(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= x * (1.0 - 1e-12) {
            return m * p;
        }
    }
    10.0 * p
}

fn fmt_tick(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1000.0 || v.abs() < 0.01 {
        format!("{v:.0e}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn legend(out: &mut String, names: &[&str]) {
    let step = ((W - LEFT - RIGHT) / names.len().max(1) as f64).min(140.0);
    for (i, n) in names.iter().enumerate() {
        let x = LEFT + 10.0 + i as f64 * step;
        let _ = write!(
            out,
            r#"<rect class="legend" x="{x}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}">{}</text>"#,
            TOP - 8.0,
            PALETTE[i % PALETTE.len()],
            x + 14.0,
            TOP + 1.0,
            esc(n)
        );
    }
}

/// Grouped bar chart over `categories` (x axis, rotated labels).
pub fn bar_chart(
    id: &str,
    title: &str,
    y_label: &str,
    categories: &[String],
    series: &[Bars],
) -> String {
    let mut out = String::new();
    header(&mut out, id, title);
    let ymax = nice_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max),
    );
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let y = |v: f64| TOP + ph * (1.0 - v / ymax);
    axes(&mut out, y_label, "");
    for i in 0..=4 {
        let v = ymax * i as f64 / 4.0;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            W - RIGHT,
            LEFT - 4.0,
            y(v) + 4.0,
            fmt_tick(v),
            y = y(v)
        );
    }
    let n = categories.len().max(1) as f64;
    let group = pw / n;
    let bw = (group * 0.8) / series.len().max(1) as f64;
    for (ci, cat) in categories.iter().enumerate() {
        let gx = LEFT + ci as f64 * group + group * 0.1;
        for (si, s) in series.iter().enumerate() {
            let v = s.values.get(ci).copied().unwrap_or(0.0);
            let x = gx + si as f64 * bw;
            let _ = write!(
                out,
                r#"<rect class="bar" x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}: {} = {}</title></rect>"#,
                y(v.max(0.0)),
                (bw - 1.0).max(1.0),
                (ph * v.max(0.0) / ymax).max(0.0),
                PALETTE[si % PALETTE.len()],
                esc(cat),
                esc(s.name),
                fmt_tick(v)
            );
            if let Some(l) = s.labels.get(ci).filter(|l| !l.is_empty()) {
                let _ = write!(
                    out,
                    r#"<text class="barlabel" x="{:.1}" y="{:.1}" text-anchor="middle" font-size="9">{}</text>"#,
                    x + bw / 2.0,
                    y(v.max(0.0)) - 3.0,
                    esc(l)
                );
            }
        }
        let cx = gx + group * 0.4;
        let _ = write!(
            out,
            r#"<text x="{cx:.1}" y="{:.1}" text-anchor="end" transform="rotate(-35 {cx:.1} {:.1})">{}</text>"#,
            H - BOTTOM + 14.0,
            H - BOTTOM + 14.0,
            esc(cat)
        );
    }
    legend(&mut out, &series.iter().map(|s| s.name).collect::<Vec<_>>());
    out.push_str("</svg>");
    out
}

fn axes(out: &mut String, y_label: &str, x_label: &str) {
    let _ = write!(
        out,
        r#"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}" stroke="black"/><line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}" stroke="black"/><text x="16" y="{my}" text-anchor="middle" transform="rotate(-90 16 {my})">{}</text><text x="{mx}" y="{}" text-anchor="middle">{}</text>"#,
        esc(y_label),
        H - 8.0,
        esc(x_label),
        b = H - BOTTOM,
        r = W - RIGHT,
        my = TOP + (H - TOP - BOTTOM) / 2.0,
        mx = LEFT + (W - LEFT - RIGHT) / 2.0,
    );
}

/// One series of a scatter plot.
pub struct Points<'a> {
    /// Legend label.
    pub name: &'a str,
    /// `(x, y, tooltip)`.
    pub points: Vec<(f64, f64, String)>,
    /// Join the points with a line (in the given order).
    pub line: bool,
    /// Draw a marker at each point (without: the line alone, dashed, e.g.
    /// a Pareto front through points another series marks).
    pub markers: bool,
}

/// What an empty scatter plot shows: the reason, and the axis ranges
/// `[x_lo, x_hi, y_lo, y_hi]` (linear plots) the data would have.
pub struct Empty<'a> {
    /// Why there are no points.
    pub why: &'a str,
    /// Axis ranges of the empty plot.
    pub range: [f64; 4],
}

/// The empty-plot fallback of plots of stages that did not run.
pub const NOT_RUN: Empty<'static> = Empty {
    why: "no data (not run)",
    range: [0.0, 1.0, 0.0, 1.0],
};

/// Scatter plot; `log` makes both axes logarithmic (non-positive points are
/// dropped) and draws the `y = x` diagonal; `empty` says why when no series
/// has a point.
pub fn scatter(
    id: &str,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Points],
    log: bool,
    empty: &Empty,
) -> String {
    let mut out = String::new();
    header(&mut out, id, title);
    let all: Vec<(f64, f64)> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| (p.0, p.1)))
        .filter(|p| p.0.is_finite() && p.1.is_finite() && (!log || (p.0 > 0.0 && p.1 > 0.0)))
        .collect();
    let t = |v: f64| if log { v.log10() } else { v };
    let (mut lo, mut hi) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (
                lo.min(t(p.0)).min(if log { t(p.1) } else { f64::INFINITY }),
                hi.max(t(p.0))
                    .max(if log { t(p.1) } else { f64::NEG_INFINITY }),
            )
        });
    let (mut ylo, mut yhi) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(t(p.1)), hi.max(t(p.1)))
        });
    if log {
        // Same decades on both axes so that y = x is the diagonal.
        lo = lo.floor();
        hi = hi.ceil();
        if hi <= lo {
            hi = lo + 1.0;
        }
        ylo = lo;
        yhi = hi;
    } else if !lo.is_finite() {
        [lo, hi, ylo, yhi] = empty.range;
    } else {
        let pad = |lo: f64, hi: f64| {
            let d = if hi > lo { (hi - lo) * 0.08 } else { 0.05 };
            (lo - d, hi + d)
        };
        (lo, hi) = pad(lo, hi);
        (ylo, yhi) = pad(ylo, yhi);
    }
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let sx = |v: f64| LEFT + pw * (t(v) - lo) / (hi - lo);
    let sy = |v: f64| TOP + ph * (1.0 - (t(v) - ylo) / (yhi - ylo));
    axes(&mut out, y_label, x_label);
    let ticks = |a: f64, b: f64| -> Vec<f64> {
        if log {
            (a as i32..=b as i32).map(|e| 10f64.powi(e)).collect()
        } else {
            (0..=4).map(|i| a + (b - a) * i as f64 / 4.0).collect()
        }
    };
    for v in ticks(lo, hi) {
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{}" stroke="#eee"/><text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"##,
            H - BOTTOM,
            H - BOTTOM + 14.0,
            fmt_tick(v),
            x = sx(v)
        );
    }
    for v in ticks(ylo, yhi) {
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#eee"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            W - RIGHT,
            LEFT - 4.0,
            sy(v) + 4.0,
            fmt_tick(v),
            y = sy(v)
        );
    }
    if log {
        let (a, b) = (10f64.powf(lo), 10f64.powf(hi));
        let _ = write!(
            out,
            r##"<line class="diagonal" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#999" stroke-dasharray="4 3"/>"##,
            sx(a),
            sy(a),
            sx(b),
            sy(b)
        );
    }
    if all.is_empty() {
        let _ = write!(
            out,
            r##"<text class="nodata" x="{}" y="{}" text-anchor="middle" font-size="14" fill="#999">{}</text>"##,
            LEFT + pw / 2.0,
            TOP + ph / 2.0,
            esc(empty.why)
        );
    }
    for (si, s) in series.iter().enumerate() {
        let color = PALETTE[si % PALETTE.len()];
        let pts: Vec<&(f64, f64, String)> = s
            .points
            .iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite() && (!log || (p.0 > 0.0 && p.1 > 0.0)))
            .collect();
        if s.line && pts.len() > 1 {
            let d: Vec<String> = pts
                .iter()
                .map(|p| format!("{:.1},{:.1}", sx(p.0), sy(p.1)))
                .collect();
            let dash = if s.markers {
                ""
            } else {
                r#" stroke-dasharray="6 3" stroke-width="2""#
            };
            let _ = write!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{color}"{dash}/>"#,
                d.join(" ")
            );
        }
        for p in pts.into_iter().filter(|_| s.markers) {
            let _ = write!(
                out,
                r#"<circle class="point" cx="{:.1}" cy="{:.1}" r="4" fill="{color}" fill-opacity="0.8"><title>{}</title></circle>"#,
                sx(p.0),
                sy(p.1),
                esc(&p.2)
            );
        }
    }
    legend(&mut out, &series.iter().map(|s| s.name).collect::<Vec<_>>());
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_max_rounds_up() {
        assert_eq!(nice_max(0.37), 0.5);
        assert_eq!(nice_max(1.0), 1.0);
        assert_eq!(nice_max(7.3), 10.0);
        assert_eq!(nice_max(0.0), 1.0);
    }

    #[test]
    fn bars_and_points_are_emitted_and_escaped() {
        let s = bar_chart(
            "b",
            "a<b",
            "pJ",
            &["l1".into(), "l2".into()],
            &[Bars {
                name: "exact",
                values: vec![1.0, 2.0],
                labels: vec!["m&1".into(), "".into()],
            }],
        );
        assert_eq!(s.matches("class=\"bar\"").count(), 2);
        assert!(s.contains("a&lt;b") && s.contains("m&amp;1"));
        let s = scatter(
            "s",
            "t",
            "x",
            "y",
            &[Points {
                name: "p",
                points: vec![
                    (1.0, 2.0, "a".into()),
                    (-1.0, 3.0, "neg".into()),
                    (10.0, 8.0, "b".into()),
                ],
                line: false,
                markers: true,
            }],
            true,
            &NOT_RUN,
        );
        assert_eq!(
            s.matches("class=\"point\"").count(),
            2,
            "non-positive points are dropped on log axes"
        );
        assert!(s.contains("diagonal"));
    }
}
