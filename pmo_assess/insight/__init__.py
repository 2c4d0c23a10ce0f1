"""What is computed from a client's answers: benchmarks, recommendations, the roadmap, project performance and the results contract a report is made from."""
