"""The HTTP face: the FastAPI app (`api`), its schemas (`schemas`), `assistant serve`
(`server`) and the chat page (`web/`). A thin layer over `engine.Assistant`."""
