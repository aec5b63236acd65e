//! Reporting periods (a quarter, 6 or 9 months, a year), their cut-off windows and their
//! Vietnamese names; and the deadlines of the plan's appendices ("Thời gian hoàn thành"),
//! classified as spec/cchc-domain.md says.

use crate::config::WindowRule;
use crate::vn;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PeriodKind {
    /// One quarter, 1..=4.
    Quarter(u8),
    /// The first six months ("6T").
    HalfYear,
    /// The first nine months ("9T").
    NineMonths,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
}

impl Period {
    pub fn quarter(year: i32, q: u8) -> Period {
        Period {
            year,
            kind: PeriodKind::Quarter(q),
        }
    }

    /// The quarters the period covers, in order.
    pub fn quarters(&self) -> Vec<u8> {
        match self.kind {
            PeriodKind::Quarter(q) => vec![q],
            PeriodKind::HalfYear => vec![1, 2],
            PeriodKind::NineMonths => vec![1, 2, 3],
            PeriodKind::Year => vec![1, 2, 3, 4],
        }
    }

    /// The last quarter covered.
    pub fn last_quarter(&self) -> u8 {
        *self.quarters().last().unwrap_or(&4)
    }

    pub fn is_quarter(&self) -> bool {
        matches!(self.kind, PeriodKind::Quarter(_))
    }

    /// The quarter periods this period is made of.
    pub fn quarter_periods(&self) -> Vec<Period> {
        self.quarters()
            .into_iter()
            .map(|q| Period::quarter(self.year, q))
            .collect()
    }

    /// The period after this one of the same length (for "tasks of the next period").
    pub fn next(&self) -> Period {
        match self.kind {
            PeriodKind::Quarter(4) => Period::quarter(self.year + 1, 1),
            PeriodKind::Quarter(q) => Period::quarter(self.year, q + 1),
            PeriodKind::HalfYear => Period::quarter(self.year, 3),
            PeriodKind::NineMonths => Period::quarter(self.year, 4),
            PeriodKind::Year => Period::quarter(self.year + 1, 1),
        }
    }

    /// The quarters of the plan's year that come after this period and that its closing
    /// section ("nhiệm vụ trọng tâm", "phương hướng") looks ahead to: the next quarter, the
    /// second half after 6 months, Q4 after 9 months; none after Q4 or the year, when the
    /// next period belongs to next year's plan.
    pub fn following(&self) -> Vec<Period> {
        let after = self.last_quarter() + 1;
        let upto = match self.kind {
            PeriodKind::Quarter(_) => after,
            _ => 4,
        };
        (after..=upto.min(4))
            .map(|q| Period::quarter(self.year, q))
            .collect()
    }

    /// What the closing section looks ahead to: "quý III năm 2024", "6 tháng cuối năm 2024",
    /// "quý IV năm 2024" (after 9 months), "năm 2025".
    pub fn next_name(&self) -> String {
        match self.kind {
            PeriodKind::HalfYear => format!("6 tháng cuối năm {}", self.year),
            PeriodKind::Year => format!("năm {}", self.year + 1),
            _ => self.next().name(),
        }
    }

    /// The closing section's heading (without its numeral): "nhiệm vụ trọng tâm quý III năm
    /// 2024" after a quarter, "phương hướng, nhiệm vụ 6 tháng cuối năm 2024" after 6 months.
    pub fn next_heading(&self) -> String {
        if self.is_quarter() {
            format!("nhiệm vụ trọng tâm {}", self.next_name())
        } else {
            format!("phương hướng, nhiệm vụ {}", self.next_name())
        }
    }

    /// The cut-off window: from the day after the previous period's cut-off to the cut-off of
    /// the period's last month (15/3 - 14/6 for Q2 with the default rule).
    pub fn window(&self, rule: &WindowRule) -> (NaiveDate, NaiveDate) {
        let first_q = self.quarters()[0];
        let end = cutoff(self.year, self.last_quarter() as u32 * 3, rule.ngay_chot);
        let prev_end = if first_q == 1 {
            cutoff(self.year - 1, 12, rule.ngay_chot)
        } else {
            cutoff(self.year, (first_q as u32 - 1) * 3, rule.ngay_chot)
        };
        (prev_end.succ_opt().unwrap_or(prev_end), end)
    }

    /// "quý II năm 2024", "6 tháng đầu năm 2024", "9 tháng năm 2024", "năm 2024".
    pub fn name(&self) -> String {
        match self.kind {
            PeriodKind::Quarter(q) => format!("quý {} năm {}", vn::roman(q as u32), self.year),
            PeriodKind::HalfYear => format!("6 tháng đầu năm {}", self.year),
            PeriodKind::NineMonths => format!("9 tháng năm {}", self.year),
            PeriodKind::Year => format!("năm {}", self.year),
        }
    }

    /// "Quý II/2024", "6 tháng/2024", "9 tháng/2024", "Năm 2024".
    pub fn short_name(&self) -> String {
        match self.kind {
            PeriodKind::Quarter(q) => format!("Quý {}/{}", vn::roman(q as u32), self.year),
            PeriodKind::HalfYear => format!("6 tháng/{}", self.year),
            PeriodKind::NineMonths => format!("9 tháng/{}", self.year),
            PeriodKind::Year => format!("Năm {}", self.year),
        }
    }

    /// ASCII part of output file names: "quy-II-2024", "6-thang-2024", "nam-2024".
    pub fn slug(&self) -> String {
        match self.kind {
            PeriodKind::Quarter(q) => format!("quy-{}-{}", vn::roman(q as u32), self.year),
            PeriodKind::HalfYear => format!("6-thang-{}", self.year),
            PeriodKind::NineMonths => format!("9-thang-{}", self.year),
            PeriodKind::Year => format!("nam-{}", self.year),
        }
    }
}

fn cutoff(year: i32, month: u32, day: u32) -> NaiveDate {
    if day == 0 {
        last_day(year, month)
    } else {
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or_else(|| last_day(year, month))
    }
}

/// The last day of a month.
pub fn last_day(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for Period {
    /// The form used on the command line and in folder names: "2024-Q2", "2024-6T", "2024".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Quarter(q) => write!(f, "{}-Q{q}", self.year),
            PeriodKind::HalfYear => write!(f, "{}-6T", self.year),
            PeriodKind::NineMonths => write!(f, "{}-9T", self.year),
            PeriodKind::Year => write!(f, "{}", self.year),
        }
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Period, String> {
        let bad = || {
            format!("kỳ báo cáo \"{s}\" không hợp lệ: cần dạng 2024-Q2, 2024-6T, 2024-9T hoặc 2024")
        };
        let t = s.trim().to_uppercase();
        let (y, rest) = match t.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (t.as_str(), None),
        };
        let year: i32 = y.parse().map_err(|_| bad())?;
        if !(1900..=2999).contains(&year) {
            return Err(bad());
        }
        let kind = match rest {
            None => PeriodKind::Year,
            Some("6T") => PeriodKind::HalfYear,
            Some("9T") => PeriodKind::NineMonths,
            Some(r) => match r.strip_prefix('Q').and_then(|q| q.parse::<u8>().ok()) {
                Some(q @ 1..=4) => PeriodKind::Quarter(q),
                _ => return Err(bad()),
            },
        };
        Ok(Period { year, kind })
    }
}

/// When a task of the plan is due, from its free-text "Thời gian hoàn thành".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "loai", rename_all = "snake_case")]
pub enum Deadline {
    /// "Tháng 9/2024": due at the end of that month.
    Month { year: i32, month: u32 },
    /// "Quý II, Quý IV/2024": due at the end of each quarter named.
    Quarters { year: i32, quarters: Vec<u8> },
    /// "Hàng tháng", "Theo quý": a report is expected every period.
    Recurring,
    /// "Thường xuyên": reported every quarter, never overdue.
    Ongoing,
    /// "Khi được quận tổ chức": reported when it happens.
    OnEvent,
    /// A phrase the tool could not classify (reported as a warning, never guessed).
    Unclassified,
}

impl Deadline {
    /// Classifies a deadline phrase; `plan_year` is used where the phrase names no year.
    pub fn classify(phrase: &str, plan_year: i32) -> Deadline {
        let k = vn::fold(phrase);
        let has = |w: &str| format!(" {k} ").contains(&format!(" {w} "));
        let words: Vec<&str> = k.split(' ').collect();
        let year_in = |default: i32| {
            words
                .iter()
                .filter_map(|w| w.parse::<i32>().ok())
                .find(|y| (2000..=2999).contains(y))
                .unwrap_or(default)
        };
        // Events first: "Thường xuyên (nếu có)" and "Thường xuyên theo Giấy mời" are not
        // ongoing duties but things done when they arise.
        const EVENT: [&str; 6] = [
            "neu co",
            "khi duoc",
            "khi co",
            "ngay sau khi",
            "theo giay moi",
            "dot xuat khi",
        ];
        if EVENT.iter().any(|p| has(p)) {
            return Deadline::OnEvent;
        }
        // An explicit month ("tháng 9/2024", "tháng 6/2024") is a milestone even inside an
        // ongoing phrase.
        for (i, w) in words.iter().enumerate() {
            if *w == "thang"
                && words.get(i + 1).is_none_or(|n| *n != "cuoi")
                && let Some(m) = words.get(i + 1).and_then(|n| n.parse::<u32>().ok())
                && (1..=12).contains(&m)
                && !has("hang thang")
            {
                return Deadline::Month {
                    year: year_in(plan_year),
                    month: m,
                };
            }
        }
        // Quarters named with Roman numerals: "Quý II, Quý IV/2024", "Quý I, II, III, IV".
        if has("quy") && !has("hang quy") && !has("theo quy") && !has("tung quy") {
            let mut qs: Vec<u8> = words
                .iter()
                .filter_map(|w| vn::parse_roman(&w.to_uppercase()))
                .filter(|q| (1..=4).contains(q))
                .map(|q| q as u8)
                .collect();
            qs.sort();
            qs.dedup();
            if !qs.is_empty() {
                return Deadline::Quarters {
                    year: year_in(plan_year),
                    quarters: qs,
                };
            }
        }
        const RECURRING: [&str; 6] = [
            "hang thang",
            "hang quy",
            "theo quy",
            "tung quy",
            "dinh ky",
            "hang tuan",
        ];
        if RECURRING.iter().any(|p| has(p)) {
            return Deadline::Recurring;
        }
        if has("thuong xuyen") || has("duy tri") {
            return Deadline::Ongoing;
        }
        Deadline::Unclassified
    }

    /// The dates the task is due (end of month / end of each quarter named); empty for the
    /// recurring, ongoing and event classes.
    pub fn due_dates(&self) -> Vec<NaiveDate> {
        match self {
            Deadline::Month { year, month } => vec![last_day(*year, *month)],
            Deadline::Quarters { year, quarters } => quarters
                .iter()
                .map(|q| last_day(*year, *q as u32 * 3))
                .collect(),
            Deadline::Recurring
            | Deadline::Ongoing
            | Deadline::OnEvent
            | Deadline::Unclassified => Vec::new(),
        }
    }

    /// Whether a row is expected for this task in the period: a month or quarter deadline
    /// falling in one of the period's quarters, or a recurring or ongoing task.
    pub fn expected_in(&self, period: &Period) -> bool {
        match self {
            Deadline::Month { year, month } => {
                *year == period.year && period.quarters().contains(&(((month - 1) / 3 + 1) as u8))
            }
            Deadline::Quarters { year, quarters } => {
                *year == period.year && quarters.iter().any(|q| period.quarters().contains(q))
            }
            Deadline::Recurring | Deadline::Ongoing => true,
            Deadline::OnEvent | Deadline::Unclassified => false,
        }
    }

    /// Whether a task not done by `date` is overdue: some due date lies before it. Ongoing,
    /// recurring and event tasks are never overdue.
    pub fn overdue_at(&self, date: NaiveDate) -> bool {
        self.due_dates().iter().any(|d| *d < date)
    }

    /// A short Vietnamese label of the class.
    pub fn label(&self) -> &'static str {
        match self {
            Deadline::Month { .. } => "theo tháng",
            Deadline::Quarters { .. } => "theo quý",
            Deadline::Recurring => "định kỳ",
            Deadline::Ongoing => "thường xuyên",
            Deadline::OnEvent => "khi phát sinh",
            Deadline::Unclassified => "chưa xác định",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn what_comes_next() {
        let p = |s: &str| s.parse::<Period>().unwrap();
        let names = |s: &str| {
            (
                p(s).next_heading(),
                p(s).following()
                    .iter()
                    .map(|q| q.to_string())
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            names("2024-Q2"),
            (
                "nhiệm vụ trọng tâm quý III năm 2024".into(),
                vec!["2024-Q3".into()]
            )
        );
        assert_eq!(names("2024-Q4").1, Vec::<String>::new());
        assert_eq!(
            names("2024-6T"),
            (
                "phương hướng, nhiệm vụ 6 tháng cuối năm 2024".into(),
                vec!["2024-Q3".into(), "2024-Q4".into()]
            )
        );
        assert_eq!(
            names("2024-9T"),
            (
                "phương hướng, nhiệm vụ quý IV năm 2024".into(),
                vec!["2024-Q4".into()]
            )
        );
        assert_eq!(
            names("2024"),
            ("phương hướng, nhiệm vụ năm 2025".into(), vec![])
        );
    }

    #[test]
    fn parse_and_print() {
        for s in ["2024-Q1", "2024-Q4", "2024-6T", "2024-9T", "2024"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        assert_eq!(
            "2024-q2".parse::<Period>().unwrap(),
            Period::quarter(2024, 2)
        );
        for bad in ["2024-Q5", "Q2", "2024-7T", "", "24-Q1"] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn windows_follow_decree_09() {
        let r = WindowRule::default();
        let w = |s: &str| s.parse::<Period>().unwrap().window(&r);
        assert_eq!(w("2024-Q1"), (d(2023, 12, 15), d(2024, 3, 14)));
        assert_eq!(w("2024-Q2"), (d(2024, 3, 15), d(2024, 6, 14)));
        assert_eq!(w("2024-Q3"), (d(2024, 6, 15), d(2024, 9, 14)));
        assert_eq!(w("2024-Q4"), (d(2024, 9, 15), d(2024, 12, 14)));
        assert_eq!(w("2024-6T"), (d(2023, 12, 15), d(2024, 6, 14)));
        assert_eq!(w("2024-9T"), (d(2023, 12, 15), d(2024, 9, 14)));
        assert_eq!(w("2024"), (d(2023, 12, 15), d(2024, 12, 14)));
        let cal = WindowRule {
            ngay_chot: 0,
            ..WindowRule::default()
        };
        assert_eq!(
            Period::quarter(2024, 1).window(&cal),
            (d(2024, 1, 1), d(2024, 3, 31))
        );
    }

    #[test]
    fn names() {
        let p = Period::quarter(2024, 2);
        assert_eq!(p.name(), "quý II năm 2024");
        assert_eq!(p.short_name(), "Quý II/2024");
        assert_eq!(p.slug(), "quy-II-2024");
        assert_eq!(
            "2024-6T".parse::<Period>().unwrap().name(),
            "6 tháng đầu năm 2024"
        );
        assert_eq!("2024".parse::<Period>().unwrap().name(), "năm 2024");
    }

    #[test]
    fn deadlines_of_the_seed_are_classified() {
        use Deadline::*;
        let c = |s: &str| Deadline::classify(s, 2024);
        assert_eq!(
            c("Tháng 9/2024"),
            Month {
                year: 2024,
                month: 9
            }
        );
        assert_eq!(
            c("Tháng 10/2024"),
            Month {
                year: 2024,
                month: 10
            }
        );
        assert_eq!(
            c("Quý II, Quý IV/2024"),
            Quarters {
                year: 2024,
                quarters: vec![2, 4]
            }
        );
        assert_eq!(
            c("Quý I, II, III, IV và đột xuất"),
            Quarters {
                year: 2024,
                quarters: vec![1, 2, 3, 4]
            }
        );
        for r in [
            "Hàng tháng",
            "Tổng hợp hàng tháng",
            "Mùng 5 hàng tháng, Hàng quý, lồng ghép trong báo cáo CCHC",
            "Theo quý",
            "Thường xuyên theo từng quý",
            "Thường xuyên; Theo quý.",
        ] {
            assert_eq!(c(r), Recurring, "{r}");
        }
        for o in [
            "Thường xuyên",
            "Thường Xuyên",
            "Thường xuyên.",
            "Năm 2024 và duy trì Thường xuyên",
            "Năm 2024 và Thường xuyên",
        ] {
            assert_eq!(c(o), Ongoing, "{o}");
        }
        for e in [
            "Khi được quận tổ chức",
            "Ngay sau khi có Quyết định công bố TTHC của Thành phố",
            "Thường xuyên (nếu có)",
            "Thường xuyên theo Giấy mời của quận",
        ] {
            assert_eq!(c(e), OnEvent, "{e}");
        }
        assert_eq!(
            c("Thường xuyên, Tổng hợp kết quả vào tháng 6/2024, thường xuyên"),
            Month {
                year: 2024,
                month: 6
            }
        );
        assert_eq!(c("Sớm nhất có thể"), Unclassified);
    }

    #[test]
    fn expected_and_overdue() {
        let q2 = Period::quarter(2024, 2);
        let q3 = Period::quarter(2024, 3);
        let m9 = Deadline::Month {
            year: 2024,
            month: 9,
        };
        assert!(!m9.expected_in(&q2));
        assert!(m9.expected_in(&q3));
        assert!(m9.expected_in(&"2024".parse().unwrap()));
        assert!(!m9.overdue_at(d(2024, 9, 14)));
        assert!(m9.overdue_at(d(2024, 12, 14)));
        assert!(!Deadline::Ongoing.overdue_at(d(2030, 1, 1)));
    }
}
