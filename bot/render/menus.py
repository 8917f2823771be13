"""The start menu, the choice of language, and the offer to comment on a decision."""

from __future__ import annotations

from bot import callbacks as cb
from bot.render.base import RenderBase, Rendered
from bot.render.keyboards import Keyboard
from bot.render.sizes import button, button_rows
from flows.model import Staff
from flows.scripts import LOCALES


class MenuScreens(RenderBase):
    """Draw the menus and small prompts."""

    def menu(self, person: Staff) -> Rendered:
        """The start menu."""
        text = self.t("menu.text", name=person.name, role=self.option(person.role))
        offered = [
            button(self.t("button.new_case"), cb.MENU_NEW),
            button(self.t("button.new_review"), cb.MENU_PROBLEM),
            button(self.t("button.my_cases"), cb.MENU_CASES),
            button(self.t("button.language"), cb.MENU_LANGUAGE),
        ]
        return Rendered(text, Keyboard(button_rows(offered)))

    def languages(self) -> Rendered:
        """Ask which language to use."""
        # Each language named in itself, whatever the reader's language now.
        names = [(code, self.scripts.get(code, "language.name")) for code in LOCALES]
        rows = [[button(name, cb.language_button(code)) for code, name in names]]
        return Rendered(self.t("language.ask"), Keyboard(rows))

    def side_prompt(self, text: str, case_id: int) -> Rendered:
        """Ask what a side action needs (a note, a reason, a file), with the way back to the
        case: a button pressed by mistake never forces the next message into it."""
        rows = [[self.carry_on(case_id)]]
        return Rendered(text, Keyboard(rows))

    def keep_prompt(self, text: str, case_id: int, token: int, carry_on: bool) -> Rendered:
        """Refuse a text, offering to keep it as a note on the case with one press, and
        (`carry_on`) the way back to the case beside it."""
        data = cb.case_button(case_id, token, cb.KEEP_NOTE)
        rows = [[button(self.t("button.keep_note"), data)]]
        return Rendered(text, Keyboard(rows + ([[self.carry_on(case_id)]] if carry_on else [])))

    def customer_prompt(self, text: str, customer_id: int) -> Rendered:
        """Ask something about a customer (why they may leave, how to address them), with
        the way out: back to their card, the question left unanswered."""
        rows = [[button(self.t("button.leave_question"), cb.customer_button(customer_id, "card"))]]
        return Rendered(text, Keyboard(rows))

    def comment_prompt(self, text: str) -> Rendered:
        """Offer to add a comment to a decision, or to skip it."""
        rows = [[button(self.t("button.no_comment"), cb.NO_COMMENT)]]
        return Rendered(f"{text}\n{self.t('approval.ask_comment')}", Keyboard(rows))
