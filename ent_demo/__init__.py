"""The suite's demo: a site's workstations side by side on one machine."""
