print("closer")
