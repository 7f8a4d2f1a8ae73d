"""What stackgen writes: atomic files, masking of secret values, GitHub workflow commands."""
