"""Learning exchanges with partners, lessons learned, share-backs, adoption and follow-up."""
