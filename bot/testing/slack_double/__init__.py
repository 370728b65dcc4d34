"""The loopback Slack Web API double, one concern per module.

Import it from :mod:`bot.testing.slack_api`; the parts:

* :mod:`~bot.testing.slack_double.world`: users, messages, views, files, faults, queries.
* :mod:`~bot.testing.slack_double.records`: recorded calls and messages, faults.
* :mod:`~bot.testing.slack_double.validators`: Slack's block, view and message limits.
* :mod:`~bot.testing.slack_double.methods`: the Web API methods.
* :mod:`~bot.testing.slack_double.server`: :class:`SlackApiDouble`, HTTP and Socket Mode.
"""
