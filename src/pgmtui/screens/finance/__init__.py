"""Finance (key 7): cost plans, earned value, burn rate and run-out, change control."""

from pgmtui.screens.finance.screen import FinanceScreen

__all__ = ["FinanceScreen"]
