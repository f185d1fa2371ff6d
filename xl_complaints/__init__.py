"""xl-complaints: the hard parts of a children's social care complaints register kept in Excel."""

__version__ = "0.1.0"
