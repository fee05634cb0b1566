"""Publishing the marts to the serving file that analysts and BI tools read."""
