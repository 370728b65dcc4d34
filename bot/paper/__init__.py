"""Paper forms: the chat's questions printed for people who are not in chat."""
