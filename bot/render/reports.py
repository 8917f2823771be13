"""The report's figures as people read them: their numbers, their words, the weekly chart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.render.base import RenderBase, Safe
from flows.periods import Period
from flows.reports import Figures, Share, duration_parts

if TYPE_CHECKING:
    from bot.render.png_chart import ChartText


class ReportView(RenderBase):
    """Draw figures in one reader's language: numbers, shares, durations, labels."""

    def __init__(self, renderer: RenderBase) -> None:
        """Draw for the same reader as `renderer`."""
        super().__init__(renderer.scripts, renderer.policy, renderer.locale, renderer.tz)

    def percent(self, ratio: float) -> str:
        """Write a ratio as a percentage with one decimal: 12,5% (vi) or 12.5% (en)."""
        return self.fmt.percent(ratio)

    def share(self, share: Share) -> str:
        """Write `part of whole (percent)`, or a dash when there is no whole."""
        if share.ratio is None:
            return self.t("report.no_share")
        return self.t(
            "report.share",
            part=self.number(share.part),
            whole=self.number(share.whole),
            percent=self.percent(share.ratio),
        )

    def duration(self, minutes: int) -> str:
        """Write a duration the way people say it: 3 d 4 h, 2 h 5 min, 40 min."""
        days, hours, mins = duration_parts(minutes)
        if days:
            return self.t("report.duration.days", days=days, hours=hours)
        if hours:
            return self.t("report.duration.hours", hours=hours, minutes=mins)
        return self.t("report.duration.minutes", minutes=mins)

    def label(self, key: str, fallback: str) -> str:
        """Look up a label, or show the code itself if there is no wording for it."""
        return self.t(key) if self.scripts.has(self.locale, key) else fallback

    def given_as(self, kind: str) -> str:
        """Name what was given: a goodwill gesture at a goodbye as such ("Goodwill: final
        invoice cancelled"), a complaint's compensation by its option ("Voucher")."""
        return self.label(f"report.goodwill.{kind}", "") or self.label(f"option.{kind}", kind)

    def text(self, figures: Figures) -> str:
        """The whole report as HTML text."""
        t, period = self.t, figures.period
        lines = [
            t(
                "report.title",
                first=self.day(period.first),
                last=self.day(period.last),
                days=period.days,
            ),
            "",
            t("report.cases_heading"),
            t(
                "report.opened_closed",
                opened=self.number(figures.opened),
                closed=self.number(figures.closed),
            ),
        ]
        if figures.median_minutes is not None and figures.p90_minutes is not None:
            lines.append(
                t(
                    "report.resolution",
                    count=self.number(figures.resolved),
                    median=self.duration(figures.median_minutes),
                    p90=self.duration(figures.p90_minutes),
                )
            )
        else:
            lines.append(t("report.no_resolution"))
        lines += [
            "",
            t("report.ended_heading", count=self.number(figures.satisfied.whole)),
            t("report.satisfied", share=Safe(self.share(figures.satisfied))),
            t("report.reopened", share=Safe(self.share(figures.reopened))),
            t("report.compliance", share=Safe(self.share(figures.compliant))),
            t(
                "report.overdue",
                period=self.number(figures.overdue_in_period),
                now=self.number(figures.overdue_now),
            ),
            "",
            *self._compensation(figures),
            "",
            *self._reviews(figures),
            "",
            *self._defections(figures),
            "",
            *self._check_ins(figures),
        ]
        return "\n".join(lines)

    def _compensation(self, figures: Figures) -> list[str]:
        t = self.t
        total = self.amounts(figures.compensation_total)
        lines = [t("report.compensation_heading", total=total)]
        lines += [
            t(
                "report.compensation_line",
                type=Safe(self.given_as(c.type)),
                count=self.number(c.count),
                total=self.money(c.total, c.currency),
            )
            for c in figures.compensation
        ] or [t("report.no_compensation")]
        return lines

    def _reviews(self, figures: Figures) -> list[str]:
        t = self.t
        lines = [t("report.reviews_heading")]
        if not figures.rungs:
            return [*lines, t("report.no_reviews")]
        lines.append(
            t(
                "report.reviews",
                retained=self.number(figures.reviews.get("retained", 0)),
                terminated=self.number(figures.reviews.get("terminated", 0)),
            )
        )
        lines += [
            t(
                "report.rung_line",
                rung=Safe(self.label(f"step.{rung.rung}.title", rung.rung)),
                outcome=Safe(self.label(f"report.outcome.{rung.outcome}", rung.outcome)),
                count=self.number(rung.count),
            )
            for rung in figures.rungs
        ]
        return lines

    def _check_ins(self, figures: Figures) -> list[str]:
        t, counts = self.t, figures.check_ins
        if not sum(counts.values()):
            return [t("report.check_ins_heading"), t("report.no_check_ins")]
        return [
            t("report.check_ins_heading"),
            t(
                "report.check_ins",
                count=self.number(sum(counts.values())),
                **{standing: self.number(n) for standing, n in counts.items()},
            ),
        ]

    def _defections(self, figures: Figures) -> list[str]:
        t = self.t
        lines = [
            t("report.defections_heading"),
            t(
                "report.exits",
                defected=self.number(figures.exits.get("defected", 0)),
                won_back=self.number(figures.exits.get("won_back", 0)),
            ),
        ]
        if figures.reasons:
            reasons = self.fmt.join(
                [
                    f"{self.label(f'option.{reason}', reason)} {self.number(count)}"
                    for reason, count in figures.reasons
                ],
                None,
            )
            lines.append(t("report.reasons", reasons=Safe(reasons)))
        else:
            lines.append(t("report.no_reasons"))
        lines.append(
            t(
                "report.value_lost",
                count=self.number(figures.lost_customers),
                value=self.amounts(figures.value_lost),
            )
        )
        rate = figures.defection_rate
        lines.append(
            t(
                "report.defection_rate",
                rate=self.percent(rate.ratio) if rate.ratio is not None else t("report.no_share"),
                defected=self.number(rate.part),
                active=self.number(rate.whole),
            )
        )
        return lines

    def chart_words(self, period: Period) -> ChartText:
        """The chart's title, legend and axis labels."""
        from bot.render.png_chart import ChartText

        t = self.t
        return ChartText(
            title=t("report.chart_title"),
            subtitle=f"{self.day(period.first)} – {self.day(period.last)}",
            opened=t("report.chart_opened"),
            closed=t("report.chart_closed"),
            y_label=t("report.chart_cases"),
            x_label=t("report.chart_week"),
            partial_note=t("report.chart_partial"),
        )

    def week_labels(self, starts: Sequence[date]) -> list[str]:
        """Short day labels for the weeks: 24/11 (vi) or 11-24 (en)."""
        fmt = "%d/%m" if self.locale == "vi" else "%m-%d"
        return [start.strftime(fmt) for start in starts]

    def chart(self, figures: Figures) -> bytes:
        """Draw the weekly chart as PNG bytes (matplotlib is loaded on first use)."""
        from bot.render.png_chart import weekly_chart

        return weekly_chart(
            self.week_labels([w.start for w in figures.weeks]),
            [w.opened for w in figures.weeks],
            [w.closed for w in figures.weeks],
            self.chart_words(figures.period),
            [w.partial for w in figures.weeks],
        )
