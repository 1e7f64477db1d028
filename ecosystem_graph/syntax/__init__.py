"""Reading SPARQL requests, once: the exact tokens and their canonical text (:mod:`.lexer`), the grammar parse
the checks are made on (:mod:`.reading`), the single-pattern shape the fast lane answers (:mod:`.bounded`), and
the SPARQL 1.1 Protocol's rules (:mod:`.protocol`). What the engine runs is always the text that was read."""
